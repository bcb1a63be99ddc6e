#!/usr/bin/python3
# test-deactivation.py: deactivates a member of the demo clinic through the assistant, as a
# screen reader user would (by accessible names and actions alone), checks what went where in
# the clinic database, then reactivates them. Prints TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-deactivation.py FRONT_DESK FRONT_DESK_ADMIN
# Run it as test-a11y.py is run (see tests/meson.build): inside dbus-run-session and xvfb-run,
# the accessibility bridge on. The database is only read here, never written: every change
# goes through the application.

import os
import re
import subprocess
import sys
import time

from desk_dogtail import (PASSWORD, button, check, click, editable, frame, label,
                          nodes, one, query, run_main, sign_in, stop, unnamed_controls,
                          wait_for, find_app)

# Nothing is ever deleted from a clinic's record: these keep their number of rows.
TABLES = ('appointments', 'qnaire_schedules', 'qnaire_sends', 'messages', 'inbox_items',
          'lab_integrations', 'billing_connections')


def row_value(root, title):
    """The value shown at the end of the impact row titled @title."""
    for item in nodes(root, 'list item', title):
        texts = [n.name for n in nodes(item, 'label') if n.name != title]
        return texts[-1] if texts else None
    return None


def page_step(assistant):
    return label(assistant, r'^Step [0-9]+ of [0-9]+$')


def choose_members(database):
    """A provider holding work of every kind, and the colleagues who receive it."""
    now = int(time.time())
    rows = query(database, """
        SELECT m.id, m.given_name || ' ' || m.family_name,
          (SELECT count(*) FROM appointments a WHERE a.practitioner_id = m.id
             AND a.status = 'booked' AND a.starts_at >= ?) AS appointments,
          (SELECT count(*) FROM qnaire_schedules q WHERE q.practitioner_id = m.id
             AND q.status = 'active') AS recurring,
          (SELECT count(*) FROM qnaire_sends q WHERE q.practitioner_id = m.id
             AND q.status = 'sent') AS sent,
          (SELECT count(*) FROM inbox_items i WHERE i.member_id = m.id
             AND i.folder = 'inbox') AS inbox,
          (SELECT count(*) FROM lab_integrations l WHERE l.member_id = m.id) AS labs
        FROM members m
        WHERE m.status = 'active' AND m.kind = 'provider' AND m.username <> 'admin'
        ORDER BY m.id""", now)
    departing = [r for r in rows if r[2] > 0 and r[3] + r[4] > 0 and r[5] > 0 and r[6] > 0]
    if not departing:
        raise RuntimeError('the demo clinic has no provider with work of every kind')
    member = departing[0]
    providers = [r for r in rows if r[0] != member[0]]
    employees = query(database, """
        SELECT id, given_name || ' ' || family_name FROM members
        WHERE status = 'active' AND kind = 'employee' AND username <> 'admin' ORDER BY id""")
    if len(providers) < 2 or not employees:
        raise RuntimeError('the demo clinic has too few colleagues to receive the work')
    return {
        'member': (member[0], member[1]),
        'counts': dict(zip(('appointments', 'recurring', 'sent', 'inbox', 'labs'), member[2:])),
        'appointments': providers[0][:2],
        'qnaires': providers[1][:2],
        'inbox': employees[0],
        'labs': providers[1][:2],
    }


def snapshot(database, member_id):
    """What the member holds, by row id."""
    now = int(time.time())
    ids = lambda sql: sorted(r[0] for r in query(database, sql, member_id))  # noqa: E731
    return {
        # A margin of a minute: an appointment that starts while the test runs is no longer
        # future when the deactivation runs.
        'appointments': sorted(r[0] for r in query(
            database, "SELECT id FROM appointments WHERE practitioner_id = ? AND status = 'booked'"
            " AND starts_at >= ?", member_id, now + 60)),
        'recurring': ids("SELECT id FROM qnaire_schedules WHERE practitioner_id = ?"
                         " AND status = 'active'"),
        'sent': ids("SELECT id FROM qnaire_sends WHERE practitioner_id = ? AND status = 'sent'"),
        'inbox': ids("SELECT id FROM inbox_items WHERE member_id = ? AND folder = 'inbox'"),
        'labs': ids("SELECT id FROM lab_integrations WHERE member_id = ?"),
        'billing': ids("SELECT id FROM billing_connections WHERE member_id = ?"
                       " AND status = 'connected'"),
        'audit': one(database, 'SELECT count(*) FROM audit_log'),
        'totals': [one(database, 'SELECT count(*) FROM ' + table) for table in TABLES],
    }


def without_audit(state):
    return {k: v for k, v in state.items() if k != 'audit'}


def main():
    return run_main(run, 'front-desk-deactivation-')


def choose_receiver(assistant, entry_name, receiver):
    """Types @receiver's name in the picker named @entry_name and chooses the match."""
    entry = wait_for(lambda: editable(assistant, entry_name), 'the picker “%s”' % entry_name)
    entry.text = receiver
    # GTK 4.8 gives a list row no action of its own: the picker's rows offer one.
    match = wait_for(lambda: [n for n in nodes(assistant, 'list item', receiver)
                              if 'receiver.choose' in n.actions],
                     'the match %s, which can be chosen' % receiver)[0]
    match.doActionNamed('receiver.choose')
    return wait_for(lambda: label(assistant, '^Chosen: %s$' % re.escape(receiver)),
                    'the choice of ' + receiver)


def run(front_desk, admin, workdir):
    database = os.path.join(workdir, 'clinic.db')
    subprocess.run([admin, '--database', database, 'init', '--demo', '--name', 'Test Clinic',
                    '--clients', '300', '--seed', '7'], check=True, stdout=subprocess.DEVNULL)

    chosen = choose_members(database)
    member_id, name = chosen['member']
    counts = chosen['counts']
    before = snapshot(database, member_id)
    admin_id = one(database, "SELECT id FROM members WHERE username = 'admin'")

    process = subprocess.Popen([front_desk, '--database', database], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        app = wait_for(find_app, 'the application on the accessibility bus')
        search = sign_in(app)
        search.text = name
        deactivate = wait_for(lambda: button(app, 'Deactivate ' + name),
                              'the member page of ' + name)
        check('the member page names its lock button “Deactivate %s”' % name, deactivate)

        # First, Cancel: nothing changes.
        deactivate.doActionNamed('click')
        assistant = wait_for(lambda: frame(app, 'Deactivate ' + name), 'the assistant')
        wait_for(lambda: page_step(assistant), 'the impact page')
        click(assistant, 'Cancel')
        wait_for(lambda: frame(app, 'Deactivate ' + name) is None, 'the assistant to close')
        after = snapshot(database, member_id)
        # (The audit log has the sign-in since.)
        check('Cancel closes the assistant with nothing changed',
              without_audit(after) == without_audit(before) and
              one(database, "SELECT count(*) FROM audit_log WHERE target_kind = 'member'"
                  ' AND target_id = ?', member_id) == 0 and
              one(database, 'SELECT status FROM members WHERE id = ?', member_id) == 'active',
              '%r\n%r' % (before, after))

        deactivate.doActionNamed('click')
        assistant = wait_for(lambda: frame(app, 'Deactivate ' + name), 'the assistant')

        # The impact.
        wait_for(lambda: label(assistant, '^What Depends on %s$' % re.escape(name)),
                 'the impact page')
        check('the impact page says the steps', page_step(assistant).name == 'Step 1 of 6',
              page_step(assistant).name)
        bad = unnamed_controls(assistant)
        check('every control of the impact page has a name', not bad, '\n'.join(bad))
        shown = {
            'appointments': row_value(assistant, 'Future appointments'),
            'recurring': row_value(assistant, 'Recurring scheduled Qnaires'),
            'sent': row_value(assistant, 'Sent Qnaires not yet completed'),
            'inbox': row_value(assistant, 'Inbox messages'),
            'labs': row_value(assistant, 'Lab integrations using their information'),
        }
        check('the impact page counts what the database holds',
              all(re.match(r'^%d\b' % counts[k], shown[k] or '') for k in shown),
              'shown %r, in the database %r' % (shown, counts))
        check('the MDBilling connection is said to be disconnected',
              row_value(assistant, 'MDBilling connection') == 'Connected: will be disconnected'
              if before['billing'] else True, row_value(assistant, 'MDBilling connection'))
        editable(assistant, 'Reason (optional)').text = 'Left the clinic'
        click(assistant, 'Next')

        # Appointments.
        wait_for(lambda: label(assistant, '^Future Appointments$'), 'the appointments page')
        check('Next waits for a receiver', not button(assistant, 'Next').sensitive)
        bad = unnamed_controls(assistant)
        check('every control of the appointments page has a name', not bad, '\n'.join(bad))
        choose_receiver(assistant, 'Practitioner who receives the appointments',
                        chosen['appointments'][1])
        click(assistant, 'Next')

        # Qnaires; Back and Next keep the choice made.
        wait_for(lambda: label(assistant, '^Qnaires$'), 'the Qnaires page')
        click(assistant, 'Back')
        kept = wait_for(lambda: label(assistant, '^Chosen: %s$'
                                      % re.escape(chosen['appointments'][1])),
                        'the appointments page again')
        check('Back keeps the receiver chosen', kept)
        click(assistant, 'Next')
        wait_for(lambda: label(assistant, '^Qnaires$'), 'the Qnaires page')
        bad = unnamed_controls(assistant)
        check('every control of the Qnaires page has a name', not bad, '\n'.join(bad))
        choose_receiver(assistant, 'Practitioner who receives the Qnaires', chosen['qnaires'][1])
        click(assistant, 'Next')

        # Inbox.
        wait_for(lambda: label(assistant, '^Inbox$'), 'the inbox page')
        bad = unnamed_controls(assistant)
        check('every control of the inbox page has a name', not bad, '\n'.join(bad))
        choose_receiver(assistant, 'Member who receives the inbox', chosen['inbox'][1])
        click(assistant, 'Next')

        # Labs: one picker for each integration.
        wait_for(lambda: label(assistant, '^Lab Integrations$'), 'the labs page')
        bad = unnamed_controls(assistant)
        check('every control of the labs page has a name', not bad, '\n'.join(bad))
        labs = query(database, 'SELECT lab_name FROM lab_integrations WHERE member_id = ?'
                     ' ORDER BY lab_name', member_id)
        for (lab_name,) in labs:
            choose_receiver(assistant, 'Member who receives the %s integration' % lab_name,
                            chosen['labs'][1])
        click(assistant, 'Next')

        # The summary, in plain words, then the password.
        wait_for(lambda: label(assistant, '^What Will Happen$'), 'the summary')
        password = wait_for(lambda: editable(assistant, 'Your password'), 'the password entry')
        check('the summary is the last step', page_step(assistant).name == 'Step 6 of 6',
              page_step(assistant).name)
        sentences = [n.name for n in nodes(assistant, 'label')]
        for key in ('appointments', 'qnaires', 'inbox'):
            check('the summary says who receives the %s' % key,
                  any(chosen[key][1] in s for s in sentences), '\n'.join(sentences))
        bad = unnamed_controls(assistant)
        check('every control of the summary has a name', not bad, '\n'.join(bad))
        check('Deactivate waits for the password', not button(assistant, 'Deactivate').sensitive)

        password.text = 'not the password'
        click(assistant, 'Deactivate')
        refused = wait_for(lambda: label(assistant, r'\S', role='alert'), 'the refusal')
        check('a wrong password is refused with an alert, nothing changed',
              without_audit(snapshot(database, member_id)) == without_audit(before) and one(database, 'SELECT status FROM members WHERE id = ?', member_id) == 'active',
              refused.name)

        password.text = PASSWORD
        check('typing again clears the refusal', wait_for(
            lambda: label(assistant, r'\S', role='alert') is None, 'the refusal to go'))
        click(assistant, 'Deactivate')
        title = '%s is deactivated' % name
        wait_for(lambda: label(assistant, '^%s$' % re.escape(title)), 'the report page',
                 timeout=60)
        check('the report page says what went where',
              label(assistant, '^What went where:$') is not None)
        bad = unnamed_controls(assistant)
        check('every control of the report page has a name', not bad, '\n'.join(bad))
        main = frame(app, 'Test Clinic')
        toast = wait_for(lambda: label(main, '^%s$' % re.escape(title)), 'the toast')
        check('the main window shows the toast “%s”' % title, toast)
        click(assistant, 'Close')
        wait_for(lambda: frame(app, 'Deactivate ' + name) is None, 'the assistant to close')

        verify_deactivation(database, member_id, admin_id, chosen, before)

        # Reactivation, with the password: signing out first ends the grace period of the
        # confirmation just made, so the password dialog is asked for.
        menu = wait_for(lambda: [b for b in nodes(main, None, 'Account') if 'click' in b.actions],
                        'the account menu')[0]
        menu.doActionNamed('click')
        wait_for(lambda: [m for m in nodes(app, 'menu item') if m.name == 'Sign Out'],
                 'the Sign Out menu item')[0].doActionNamed('click')
        sign_in(app)
        toggle = wait_for(lambda: [b for b in nodes(main, 'push button')
                                   + nodes(main, 'toggle button')
                                   if re.match(r'^Deactivated members: [1-9]', b.name or '')],
                          'the deactivated members toggle')[0]
        toggle.doActionNamed('click')
        activate = wait_for(lambda: button(main, 'Activate ' + name),
                            'the Activate button of ' + name)
        check('the deactivated member page names its button “Activate %s”' % name, activate)
        activate.doActionNamed('click')
        dialog = wait_for(lambda: frame(app, 'Confirm Password'), 'the password dialog')
        bad = unnamed_controls(dialog)
        check('every control of the password dialog has a name', not bad, '\n'.join(bad))
        editable(dialog, 'Your Password').text = PASSWORD
        click(dialog, 'Confirm')
        toast = wait_for(lambda: label(main, '^%s is reactivated' % re.escape(name)),
                         'the reactivation toast')
        check('the main window says the member is reactivated', toast)
        if before['billing']:
            check('and that MDBilling stays disconnected', 'MDBilling' in toast.name, toast.name)
        wait_for(lambda: one(database, 'SELECT status FROM members WHERE id = ?', member_id)
                 == 'active', 'the member to be active in the database')
        verify_reactivation(database, member_id, admin_id, before)
    finally:
        err = stop(process)
    warnings = [line for line in err.splitlines()
                if re.search(r'(Gtk|Adwaita|GLib|GLib-GObject)-(WARNING|CRITICAL)', line)]
    check('no GTK warnings or criticals', not warnings, '\n'.join(warnings))


def verify_deactivation(database, member_id, admin_id, chosen, before):
    status, by, reason = query(database, 'SELECT status, deactivated_by, deactivation_reason'
                               ' FROM members WHERE id = ?', member_id)[0]
    check('the member is deactivated, by the signed-in member, with the reason',
          (status, by, reason) == ('deactivated', admin_id, 'Left the clinic'),
          (status, by, reason))
    rows = query(database, "SELECT id, inbox_to_member_id FROM member_status_changes"
                 " WHERE member_id = ? AND change = 'deactivated'", member_id)
    check('one deactivation is recorded, with who received the inbox',
          len(rows) == 1 and rows[0][1] == chosen['inbox'][0], rows)
    deactivation = rows[0][0]

    marks = lambda table, ids: query(  # noqa: E731
        database, 'SELECT DISTINCT practitioner_id, moved_from_practitioner_id, deactivation_id'
        ' FROM %s WHERE id IN (%s)' % (table, ','.join(map(str, ids)) or 'NULL'))
    receiver = chosen['appointments'][0]
    check('%d appointments moved to the receiver, marked with where they came from'
          % len(before['appointments']),
          marks('appointments', before['appointments']) == [(receiver, member_id, deactivation)],
          marks('appointments', before['appointments']))
    check('no future appointment is left with the member',
          one(database, "SELECT count(*) FROM appointments WHERE practitioner_id = ?"
              " AND status = 'booked' AND starts_at >= strftime('%s', 'now')", member_id) == 0)
    receiver = chosen['qnaires'][0]
    check('the recurring Qnaires moved, marked',
          marks('qnaire_schedules', before['recurring'])
          in ([(receiver, member_id, deactivation)], []) and
          len(query(database, 'SELECT 1 FROM qnaire_schedules WHERE practitioner_id = ?'
                    " AND status = 'active'", member_id)) == 0,
          marks('qnaire_schedules', before['recurring']))
    check('the sent Qnaires moved, marked',
          marks('qnaire_sends', before['sent']) in ([(receiver, member_id, deactivation)], []),
          marks('qnaire_sends', before['sent']))
    check('the member holds no Qnaire',
          one(database, "SELECT count(*) FROM qnaire_sends WHERE practitioner_id = ?"
              " AND status = 'sent'", member_id) == 0)

    inbox = query(database, 'SELECT DISTINCT member_id, forwarded_from_member_id, deactivation_id,'
                  " folder FROM inbox_items WHERE id IN (%s)" % ','.join(map(str, before['inbox'])))
    check('%d inbox messages forwarded to the receiver, marked' % len(before['inbox']),
          inbox == [(chosen['inbox'][0], member_id, deactivation, 'inbox')], inbox)
    labs = query(database, 'SELECT id, member_id FROM lab_integrations WHERE id IN (%s)'
                 % ','.join(map(str, before['labs'])))
    check('the lab integrations went to their receiver',
          all(m == chosen['labs'][0] for _, m in labs) and len(labs) == len(before['labs']), labs)
    transfers = query(database, 'SELECT integration_id, from_member_id, to_member_id, by_member_id'
                      ' FROM lab_integration_transfers WHERE deactivation_id = ?', deactivation)
    check('each transfer is recorded',
          sorted(t[0] for t in transfers) == before['labs'] and
          all(t[1:] == (member_id, chosen['labs'][0], admin_id) for t in transfers), transfers)
    billing = query(database, 'SELECT status, deactivation_id FROM billing_connections'
                    ' WHERE id IN (%s)' % ','.join(map(str, before['billing']) or ['NULL']))
    check('the MDBilling connection is disconnected',
          all(b == ('disconnected', deactivation) for b in billing), billing)

    actions = [r[0] for r in query(database, 'SELECT action FROM audit_log WHERE id > ?'
                                   ' AND actor_member_id = ? ORDER BY id',
                                   before['audit'], admin_id)]
    expected = {'appointments.move', 'qnaires.move', 'inbox.forward', 'member.deactivate'}
    expected |= {'lab.transfer-main'} if one(database, 'SELECT count(*) FROM lab_integrations'
                                              ' WHERE id IN (%s) AND is_main = 1'
                                              % ','.join(map(str, before['labs']))) else set()
    expected |= {'billing.disconnect'} if before['billing'] else set()
    check('the audit log has the deactivation’s entries, as the signed-in member',
          expected <= set(actions), actions)
    totals = [one(database, 'SELECT count(*) FROM ' + table) for table in TABLES]
    check('nothing was deleted: as many appointments, Qnaires, messages and labs as before',
          totals == before['totals'], (TABLES, before['totals'], totals))


def verify_reactivation(database, member_id, admin_id, before):
    rows = query(database, "SELECT by_member_id FROM member_status_changes"
                 " WHERE member_id = ? AND change = 'reactivated'", member_id)
    check('the reactivation is recorded, by the signed-in member', rows == [(admin_id,)], rows)
    row = query(database, 'SELECT status, deactivated_at FROM members WHERE id = ?', member_id)[0]
    check('the member is active again', row == ('active', None), row)
    audit = query(database, "SELECT count(*) FROM audit_log WHERE action = 'member.reactivate'"
                  ' AND target_id = ? AND actor_member_id = ?', member_id, admin_id)[0][0]
    check('the audit log has the reactivation', audit == 1, audit)
    if before['billing']:
        billing = query(database, 'SELECT DISTINCT status FROM billing_connections WHERE id IN (%s)'
                        % ','.join(map(str, before['billing'])))
        check('MDBilling stays disconnected after reactivation', billing == [('disconnected',)],
              billing)
    # What moved stays with its receivers: reactivation brings back sign-in, not the work.
    check('the moved appointments stay with their receiver',
          one(database, "SELECT count(*) FROM appointments WHERE practitioner_id = ?"
              " AND status = 'booked' AND starts_at >= strftime('%s', 'now')", member_id) == 0)


if __name__ == '__main__':
    sys.exit(main())
