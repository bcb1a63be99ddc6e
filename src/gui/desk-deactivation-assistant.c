/* desk-deactivation-assistant.c: deactivating a member, step by step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The impact first, then one step for each kind of work that has anything
 * to move (appointments, Qnaires, inbox, labs), then a summary in plain
 * words with the password, then what went where.  The model reads the
 * impact and executes the plan on workers (desk_deactivation_plan_new_async,
 * desk_deactivation_execute_async); the choices live in the widgets, so
 * Back and Next keep them, and nothing changes in the clinic before the
 * summary's Deactivate.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "desk-a11y.h"
#include "desk-deactivation-assistant.h"
#include "desk-member.h"
#include "desk-reauth.h"
#include "desk-session.h"
#include "desk-store.h"
#include "desk-window-chrome.h"

/* The steps, in order: the impact, one per category, the summary. */
enum { STEP_IMPACT, STEP_APPOINTMENTS, STEP_QNAIRES, STEP_INBOX, STEP_LABS, STEP_SUMMARY, N_STEPS };
#define N_MOVES 3   /* appointments, Qnaires, inbox: a receiver or the consequence */

static const char *step_pages[N_STEPS] = {
  DESK_ASSISTANT_PAGE_IMPACT, DESK_ASSISTANT_PAGE_APPOINTMENTS, DESK_ASSISTANT_PAGE_QNAIRES,
  DESK_ASSISTANT_PAGE_INBOX, DESK_ASSISTANT_PAGE_LABS, DESK_ASSISTANT_PAGE_SUMMARY,
};

typedef struct
{
  GtkLabel           *description;
  GtkCheckButton     *move;
  DeskReceiverPicker *picker;
  GtkCheckButton     *consequence;
  GtkWidget          *warning_box;
  GtkLabel           *warning;
  GtkLabel           *error;
} MovePage;

struct _DeskDeactivationAssistant
{
  AdwWindow               parent_instance;

  GtkWindow              *parent;         /* weak: where the toast goes */
  DeskSession            *session;
  DeskReauth             *reauth;
  DeskMember             *member;
  DeskDeactivationPlan   *plan;
  DeskDeactivationReport *report;
  GCancellable           *cancellable;
  GPtrArray              *lab_pickers;    /* one per integration, in the plan's order */
  GtkFileChooserNative   *chooser;
  int                     step;           /* -1 off the steps */
  gboolean                working;        /* the plan is being executed */
  gboolean                checking;       /* looking for a remembered confirmation */
  gboolean                confirming;     /* the password is being checked */
  gboolean                remembered;     /* a recent confirmation stands */
  gboolean                labs_blocked;
  guint                   check_serial;   /* which summary a keyring answer is for */

  /* Template widgets */
  AdwWindowTitle         *window_title;
  GtkWidget              *cancel_button;
  GtkWidget              *back_button;
  GtkWidget              *next_button;
  GtkWidget              *deactivate_button;
  GtkWidget              *close_button;
  GtkStack               *stack;
  GtkSpinner             *loading_spinner;
  GtkLabel               *loading_label;
  GtkSpinner             *working_spinner;
  GtkLabel               *working_label;
  AdwStatusPage          *refused_page;
  GtkWidget              *refused_read_again;
  GtkLabel               *impact_title;
  GtkLabel               *appointments_count;
  GtkLabel               *recurring_count;
  GtkLabel               *sent_count;
  GtkLabel               *inbox_count;
  GtkLabel               *labs_count;
  GtkLabel               *billing_state;
  AdwPreferencesGroup    *labs_impact_group;
  GtkWidget              *billing_warning_box;
  GtkLabel               *billing_warning;
  AdwEntryRow            *reason_row;
  MovePage                moves[N_MOVES];
  GtkLabel               *labs_description;
  GtkWidget              *labs_block_box;
  GtkLabel               *labs_block;
  GtkBox                 *labs_box;
  GtkLabel               *labs_error;
  GtkBox                 *summary_box;
  GtkWidget              *checking_box;
  GtkSpinner             *checking_spinner;
  GtkLabel               *remembered_label;
  GtkPasswordEntry       *password_entry;
  GtkLabel               *summary_error;
  GtkWidget              *read_again_button;
  GtkLabel               *report_title;
  GtkBox                 *report_box;
  GtkLabel               *export_label;
};

G_DEFINE_FINAL_TYPE (DeskDeactivationAssistant, desk_deactivation_assistant, ADW_TYPE_WINDOW)

static void read_impact (DeskDeactivationAssistant *self);

/* Helpers */

static const char *
member_name (DeskDeactivationAssistant *self)
{
  return desk_member_get_display_name (self->member);
}

static void
set_message (GtkLabel   *label,
             const char *message)
{
  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL && *message != '\0');
}

static gboolean
step_shown (DeskDeactivationAssistant *self,
            int                        step)
{
  if (step == STEP_IMPACT || step == STEP_SUMMARY)
    return TRUE;
  return self->plan != NULL &&
         desk_deactivation_plan_has (self->plan, (DeskDeactivationCategory) (step - 1));
}

static gboolean
step_ready (DeskDeactivationAssistant *self,
            int                        step)
{
  if (step >= STEP_APPOINTMENTS && step <= STEP_INBOX)
    {
      MovePage *page = &self->moves[step - 1];

      return gtk_check_button_get_active (page->consequence) ||
             desk_receiver_picker_get_receiver_id (page->picker) != 0;
    }
  if (step == STEP_LABS)
    {
      if (self->labs_blocked)
        return FALSE;
      for (guint i = 0; i < self->lab_pickers->len; i++)
        if (desk_receiver_picker_get_receiver_id (g_ptr_array_index (self->lab_pickers, i)) == 0)
          return FALSE;
    }
  return TRUE;
}

/* Every action's state, in one place. */
static void
update_actions (DeskDeactivationAssistant *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean on_step = self->step >= 0;
  gboolean summary = self->step == STEP_SUMMARY;
  gboolean done = g_strcmp0 (page, DESK_ASSISTANT_PAGE_REPORT) == 0 ||
                  g_strcmp0 (page, DESK_ASSISTANT_PAGE_REFUSED) == 0;
  gboolean busy = self->working || self->confirming;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));
  int previous = self->step - 1;

  while (previous > STEP_IMPACT && !step_shown (self, previous))
    previous--;

  gtk_widget_set_visible (self->cancel_button, !done);
  gtk_widget_set_visible (self->back_button, on_step && self->step > STEP_IMPACT);
  gtk_widget_set_visible (self->next_button, on_step && !summary);
  gtk_widget_set_visible (self->deactivate_button, summary);
  gtk_widget_set_visible (self->close_button, done);

  gtk_widget_action_set_enabled (widget, "assistant.cancel", !self->working && !done);
  gtk_widget_action_set_enabled (widget, "assistant.back",
                                 on_step && self->step > STEP_IMPACT && !busy);
  gtk_widget_action_set_enabled (widget, "assistant.next",
                                 on_step && !summary && step_ready (self, self->step));
  gtk_widget_action_set_enabled (widget, "assistant.deactivate",
                                 summary && !busy && !self->checking &&
                                 (self->remembered || *password != '\0'));
  gtk_widget_action_set_enabled (widget, "assistant.close", done);
  gtk_widget_action_set_enabled (widget, "assistant.read-again", !busy);
  gtk_widget_action_set_enabled (widget, "assistant.export",
                                 self->report != NULL && self->chooser == NULL);
}

static void
show_page (DeskDeactivationAssistant *self,
           const char                *page,
           int                        step)
{
  g_autofree char *subtitle = NULL;

  self->step = step;
  gtk_stack_set_visible_child_name (self->stack, page);

  if (step >= 0)
    {
      guint n = 0, at = 0;

      for (int i = 0; i < N_STEPS; i++)
        if (step_shown (self, i))
          {
            n++;
            if (i <= step)
              at++;
          }
      /* Translators: the assistant's progress, as "Step 2 of 4" */
      subtitle = g_strdup_printf (_("Step %u of %u"), at, n);
    }
  adw_window_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : "");
  update_actions (self);
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static GtkWidget *
sentence_label (const char *text)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *bullet = gtk_label_new ("•");
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (bullet, GTK_ALIGN_START);
  gtk_accessible_update_state (GTK_ACCESSIBLE (bullet), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (row), bullet);
  gtk_box_append (GTK_BOX (row), label);
  return row;
}

static void
fill_sentences (GtkBox             *box,
                const char * const *lines)
{
  clear_box (box);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    gtk_box_append (box, sentence_label (lines[i]));
}

static char *
count_text (guint n)
{
  return g_strdup_printf ("%'u", n);
}

/* The impact page */

static void
fill_impact (DeskDeactivationAssistant *self)
{
  DeskDeactivationPlan *plan = self->plan;
  GPtrArray *labs = desk_deactivation_plan_get_lab_integrations (plan);
  guint snoozed = desk_deactivation_plan_get_snoozed_messages (plan);
  guint inbox = desk_deactivation_plan_get_inbox_messages (plan);
  gboolean has_main = FALSE;
  g_autofree char *title = NULL;
  g_autofree char *appointments = count_text (desk_deactivation_plan_get_future_appointments (plan));
  g_autofree char *recurring = count_text (desk_deactivation_plan_get_recurring_qnaires (plan));
  g_autofree char *sent = count_text (desk_deactivation_plan_get_sent_qnaires (plan));
  g_autofree char *messages = NULL;
  g_autofree char *labs_text = NULL;
  GtkWidget *child;

  /* Translators: %s is the name of the member being deactivated */
  title = g_strdup_printf (_("What Depends on %s"), member_name (self));
  gtk_label_set_label (self->impact_title, title);
  gtk_label_set_label (self->appointments_count, appointments);
  gtk_label_set_label (self->recurring_count, recurring);
  gtk_label_set_label (self->sent_count, sent);

  if (snoozed > 0)
    /* Translators: inbox messages; the first %'u is all of them, the second the snoozed ones */
    messages = g_strdup_printf (ngettext ("%'u, %'u snoozed", "%'u, %'u snoozed", snoozed),
                                inbox, snoozed);
  else
    messages = count_text (inbox);
  gtk_label_set_label (self->inbox_count, messages);

  /* The integrations, the main one marked. */
  while ((child = g_object_get_data (G_OBJECT (self->labs_impact_group), "rows")) != NULL)
    {
      GSList *rows = (GSList *) child;

      for (GSList *l = rows; l != NULL; l = l->next)
        adw_preferences_group_remove (self->labs_impact_group, l->data);
      g_object_set_data (G_OBJECT (self->labs_impact_group), "rows", NULL);
      g_slist_free (rows);
    }
  {
    GSList *rows = NULL;

    for (guint i = 0; i < labs->len; i++)
      {
        DeskLabIntegration *lab = g_ptr_array_index (labs, i);
        GtkWidget *row = adw_action_row_new ();

        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), lab->lab_name);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), lab->account_number);
        if (lab->is_main)
          {
            GtkWidget *tag = gtk_label_new (_("Main integration"));

            gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
            gtk_widget_add_css_class (tag, "tag");
            gtk_widget_add_css_class (tag, "accent");
            adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
            has_main = TRUE;
          }
        adw_preferences_group_add (self->labs_impact_group, row);
        rows = g_slist_prepend (rows, row);
      }
    g_object_set_data (G_OBJECT (self->labs_impact_group), "rows", rows);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->labs_impact_group), labs->len > 0);

  if (has_main)
    /* Translators: %'u is a number of lab integrations, one of them the clinic's main one */
    labs_text = g_strdup_printf (ngettext ("%'u, the main integration", "%'u, including the main integration",
                                           labs->len),
                                 labs->len);
  else
    labs_text = count_text (labs->len);
  gtk_label_set_label (self->labs_count, labs_text);

  if (desk_deactivation_plan_get_billing_connected (plan))
    {
      g_autofree char *warning = NULL;

      gtk_label_set_label (self->billing_state, _("Connected: will be disconnected"));
      /* Translators: %s is the name of the member being deactivated */
      warning = g_strdup_printf (_("%s’s MDBilling connection will be disconnected: claims submitted earlier get no further updates. It stays disconnected if they are reactivated, until it is configured again."),
                                 member_name (self));
      gtk_label_set_label (self->billing_warning, warning);
    }
  else
    gtk_label_set_label (self->billing_state, _("Not connected"));
  gtk_widget_set_visible (self->billing_warning_box,
                          desk_deactivation_plan_get_billing_connected (plan));
}

/* The move pages */

static void
update_move_page (DeskDeactivationAssistant *self,
                  DeskDeactivationCategory   category)
{
  MovePage *page = &self->moves[category];
  DeskDeactivationPlan *plan = self->plan;
  gboolean consequence = gtk_check_button_get_active (page->consequence);
  const char *receiver = desk_receiver_picker_get_receiver_name (page->picker);
  g_autofree char *description = NULL;
  g_autofree char *warning = NULL;

  if (plan == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (page->picker), !consequence);

  switch (category)
    {
    case DESK_DEACTIVATION_APPOINTMENTS:
      {
        guint n = desk_deactivation_plan_get_future_appointments (plan);
        guint with_qnaires = desk_deactivation_plan_get_appointment_qnaires (plan);

        /* Translators: %s is a member's name, %'u a number of appointments */
        description = g_strdup_printf (ngettext ("%s has %'u future appointment. Move it to another active practitioner, or cancel it.",
                                                 "%s has %'u future appointments. Move them to another active practitioner, or cancel them.",
                                                 n),
                                       member_name (self), n);
        if (consequence)
          {
            g_autofree char *cancelled = NULL;
            g_autofree char *removed = NULL;

            cancelled = g_strdup_printf (ngettext ("%'u future appointment will be cancelled; the client is not seen.",
                                                   "%'u future appointments will be cancelled; their clients are not seen.",
                                                   n),
                                         n);
            if (with_qnaires > 0)
              removed = g_strdup_printf (ngettext ("The %'u Qnaire sent for them will be removed.",
                                                   "The %'u Qnaires sent for them will be removed.",
                                                   with_qnaires),
                                         with_qnaires);
            warning = g_strjoin (" ", cancelled,
                                 removed != NULL ? removed : _("No Qnaire was sent for them."),
                                 _("Everything stays in the record with the reason."), NULL);
          }
        else if (receiver != NULL)
          /* Translators: %s is the practitioner chosen */
          warning = g_strdup_printf (_("They keep their date, time and client; %s sees them in their schedule, marked as coming from this member."),
                                     receiver);
        break;
      }

    case DESK_DEACTIVATION_QNAIRES:
      {
        guint recurring = desk_deactivation_plan_get_recurring_qnaires (plan);
        guint sent = desk_deactivation_plan_get_sent_qnaires (plan);

        /* Translators: the numbers are Qnaires of the member being deactivated */
        description = g_strdup_printf (_("Recurring scheduled Qnaires: %'u. Sent Qnaires not yet completed: %'u. Move them to another active practitioner, or remove them."),
                                       recurring, sent);
        if (consequence)
          warning = g_strdup (_("The recurring Qnaires will no longer be sent, and the sent ones will be removed: clients can no longer complete them. They stay in the record with the reason."));
        else if (receiver != NULL)
          /* Translators: %s is the practitioner chosen */
          warning = g_strdup_printf (_("%s receives the completed Qnaires and the recurring ones keep their schedule."),
                                     receiver);
        break;
      }

    case DESK_DEACTIVATION_INBOX:
    case DESK_DEACTIVATION_LABS:
    default:
      {
        guint n = desk_deactivation_plan_get_inbox_messages (plan);
        guint snoozed = desk_deactivation_plan_get_snoozed_messages (plan);

        /* Translators: %s is a member's name, the numbers are messages */
        description = g_strdup_printf (ngettext ("%s has %'u message in their inbox (%'u snoozed). Forward it to another active member, or archive it.",
                                                 "%s has %'u messages in their inbox (%'u snoozed). Forward all of them, snoozed ones too, to another active member, or archive them.",
                                                 n),
                                       member_name (self), n, snoozed);
        if (consequence)
          /* Translators: %s is the name of the member being deactivated */
          warning = g_strdup_printf (_("The messages will be archived: kept with the member, back if they are reactivated. Meanwhile no one sees them, and new messages for %s reach the members who may edit other users."),
                                     member_name (self));
        else if (receiver != NULL)
          /* Translators: the first %s is the member chosen, the second the one being deactivated */
          warning = g_strdup_printf (_("%s receives every message, snoozed ones still snoozed, and new messages for %s from now on."),
                                     receiver, member_name (self));
        break;
      }
    }

  gtk_label_set_label (page->description, description);
  gtk_label_set_label (page->warning, warning != NULL ? warning : "");
  gtk_widget_set_visible (page->warning_box, warning != NULL);
}

static void
setup_move_pages (DeskDeactivationAssistant *self)
{
  DeskStore *store = desk_session_get_store (self->session);
  gint64 id = desk_member_get_id (self->member);

  desk_receiver_picker_set_context (self->moves[DESK_DEACTIVATION_APPOINTMENTS].picker,
                                    store, TRUE, id);
  desk_receiver_picker_set_label (self->moves[DESK_DEACTIVATION_APPOINTMENTS].picker,
                                  _("Practitioner who receives the appointments"));
  desk_receiver_picker_set_context (self->moves[DESK_DEACTIVATION_QNAIRES].picker,
                                    store, TRUE, id);
  desk_receiver_picker_set_label (self->moves[DESK_DEACTIVATION_QNAIRES].picker,
                                  _("Practitioner who receives the Qnaires"));
  desk_receiver_picker_set_context (self->moves[DESK_DEACTIVATION_INBOX].picker,
                                    store, FALSE, id);
  desk_receiver_picker_set_label (self->moves[DESK_DEACTIVATION_INBOX].picker,
                                  _("Member who receives the inbox"));
}

/* The labs page */

static void
on_lab_receiver_chosen (DeskDeactivationAssistant *self)
{
  set_message (self->labs_error, NULL);
  update_actions (self);
}

static void
fill_labs (DeskDeactivationAssistant *self)
{
  GPtrArray *labs = desk_deactivation_plan_get_lab_integrations (self->plan);
  DeskStore *store = desk_session_get_store (self->session);
  const char *main_name = NULL;
  g_autofree char *description = NULL;

  clear_box (self->labs_box);
  g_ptr_array_set_size (self->lab_pickers, 0);

  for (guint i = 0; i < labs->len; i++)
    {
      DeskLabIntegration *lab = g_ptr_array_index (labs, i);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *name = gtk_label_new (NULL);
      DeskReceiverPicker *picker = desk_receiver_picker_new ();
      g_autofree char *title = NULL;
      g_autofree char *label = NULL;

      /* Translators: a lab's name and the clinic's account number with it */
      title = g_strdup_printf (C_("lab integration", "%s · %s"), lab->lab_name, lab->account_number);
      gtk_label_set_label (GTK_LABEL (name), title);
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_wrap (GTK_LABEL (name), TRUE);
      gtk_widget_add_css_class (name, "heading");
      gtk_box_append (GTK_BOX (heading), name);
      if (lab->is_main)
        {
          GtkWidget *tag = gtk_label_new (_("Main integration"));

          gtk_widget_add_css_class (tag, "tag");
          gtk_widget_add_css_class (tag, "accent");
          gtk_box_append (GTK_BOX (heading), tag);
          main_name = lab->lab_name;
        }
      gtk_box_append (GTK_BOX (box), heading);

      desk_receiver_picker_set_context (picker, store, FALSE, desk_member_get_id (self->member));
      /* Translators: %s is a lab's name */
      label = g_strdup_printf (_("Member who receives the %s integration"), lab->lab_name);
      desk_receiver_picker_set_label (picker, label);
      g_signal_connect_object (picker, "notify::receiver-id",
                               G_CALLBACK (on_lab_receiver_chosen), self, G_CONNECT_SWAPPED);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (picker));
      gtk_box_append (self->labs_box, box);
      g_ptr_array_add (self->lab_pickers, picker);
    }

  /* Translators: %s is the name of the member being deactivated */
  description = g_strdup_printf (_("Lab results arrive through these integrations with %s’s information. Each one goes to a member who will receive the results from now on: an integration left with no one is not allowed."),
                                 member_name (self));
  gtk_label_set_label (self->labs_description, description);

  /* The main integration needs "manage lab integrations": say so at once
   * rather than let the member choose and be refused at the end. */
  self->labs_blocked = main_name != NULL &&
                       !desk_session_has_permission (self->session, DESK_PERMISSION_MANAGE_LABS);
  if (self->labs_blocked)
    {
      g_autofree char *block = NULL;

      /* Translators: the first %s is a lab's name, the second a member's name */
      block = g_strdup_printf (_("The clinic’s main lab integration (%s) uses %s’s information. Transferring it needs the “manage lab integrations” permission, which you do not have: ask a member who has it to deactivate this account."),
                               main_name, member_name (self));
      gtk_label_set_label (self->labs_block, block);
    }
  gtk_widget_set_visible (self->labs_block_box, self->labs_blocked);
  gtk_widget_set_sensitive (GTK_WIDGET (self->labs_box), !self->labs_blocked);
}

/* The summary */

typedef struct
{
  DeskDeactivationAssistant *self;
  guint                      serial;
} Check;

static void
on_reauth_checked (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Check *check = user_data;
  DeskDeactivationAssistant *self = check->self;
  gboolean remembered = desk_reauth_check_finish (DESK_REAUTH (source), result);
  gboolean current = check->serial == self->check_serial;

  g_free (check);
  if (g_cancellable_is_cancelled (self->cancellable) || !current)
    {
      g_object_unref (self);
      return;
    }

  self->checking = FALSE;
  self->remembered = remembered;
  gtk_widget_set_visible (self->checking_box, FALSE);
  gtk_spinner_set_spinning (self->checking_spinner, FALSE);
  if (remembered)
    gtk_label_set_label (self->remembered_label,
                         _("You confirmed your password a few minutes ago: it is not asked again."));
  else
    {
      g_autofree char *who = NULL;

      /* Translators: %s is the name of the signed-in member */
      who = g_strdup_printf (_("Signed in as %s. Type your password to confirm."),
                             desk_member_get_display_name (desk_session_get_member (self->session)));
      gtk_label_set_label (self->remembered_label, who);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->remembered_label), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->password_entry), !remembered);
  if (self->step == STEP_SUMMARY)
    gtk_widget_grab_focus (remembered ? self->deactivate_button
                                      : GTK_WIDGET (self->password_entry));
  update_actions (self);
  g_object_unref (self);
}

static void
enter_summary (DeskDeactivationAssistant *self)
{
  g_auto(GStrv) lines = desk_deactivation_plan_describe (self->plan);
  Check *check;

  fill_sentences (self->summary_box, (const char * const *) lines);
  set_message (self->summary_error, NULL);
  gtk_widget_set_visible (self->read_again_button, FALSE);

  /* A confirmation remembered in the keyring spares the password; the
   * keyring may be slow, so it is asked in the background. */
  self->checking = TRUE;
  self->remembered = FALSE;
  gtk_widget_set_visible (self->checking_box, TRUE);
  gtk_spinner_set_spinning (self->checking_spinner, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->remembered_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->password_entry), FALSE);
  check = g_new (Check, 1);
  check->self = g_object_ref (self);
  check->serial = ++self->check_serial;
  desk_reauth_check_async (self->reauth, self->cancellable, on_reauth_checked, check);
}

/* Moving between steps */

static void
go_to_step (DeskDeactivationAssistant *self,
            int                        step)
{
  show_page (self, step_pages[step], step);

  switch (step)
    {
    case STEP_IMPACT:
      gtk_widget_grab_focus (self->next_button);
      break;

    case STEP_APPOINTMENTS:
    case STEP_QNAIRES:
    case STEP_INBOX:
      {
        MovePage *page = &self->moves[step - 1];

        update_move_page (self, (DeskDeactivationCategory) (step - 1));
        gtk_widget_grab_focus (gtk_check_button_get_active (page->consequence)
                                 ? GTK_WIDGET (page->consequence)
                                 : GTK_WIDGET (desk_receiver_picker_get_entry (page->picker)));
        break;
      }

    case STEP_LABS:
      gtk_widget_grab_focus (self->lab_pickers->len > 0 && !self->labs_blocked
                               ? GTK_WIDGET (desk_receiver_picker_get_entry (g_ptr_array_index (self->lab_pickers, 0)))
                               : self->back_button);
      break;

    case STEP_SUMMARY:
    default:
      enter_summary (self);
      break;
    }
}

/* Hands the step's choices to the plan, which checks them: FALSE, with the
 * model's words on the page, when it refuses. */
static gboolean
apply_step (DeskDeactivationAssistant *self,
            int                        step)
{
  g_autoptr(GError) error = NULL;

  if (step == STEP_IMPACT)
    {
      g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_row))));

      desk_deactivation_plan_set_reason (self->plan, *reason != '\0' ? reason : NULL);
      return TRUE;
    }

  if (step >= STEP_APPOINTMENTS && step <= STEP_INBOX)
    {
      MovePage *page = &self->moves[step - 1];
      gint64 receiver = gtk_check_button_get_active (page->consequence)
                          ? 0 : desk_receiver_picker_get_receiver_id (page->picker);

      if (!desk_deactivation_plan_set_receiver (self->plan, (DeskDeactivationCategory) (step - 1),
                                                receiver, &error))
        {
          set_message (page->error, error->message);
          return FALSE;
        }
      set_message (page->error, NULL);
      return TRUE;
    }

  if (step == STEP_LABS)
    {
      GPtrArray *labs = desk_deactivation_plan_get_lab_integrations (self->plan);

      for (guint i = 0; i < labs->len; i++)
        {
          DeskLabIntegration *lab = g_ptr_array_index (labs, i);
          gint64 receiver = desk_receiver_picker_get_receiver_id (g_ptr_array_index (self->lab_pickers, i));

          if (!desk_deactivation_plan_set_lab_receiver (self->plan, lab->id, receiver, &error))
            {
              set_message (self->labs_error, error->message);
              return FALSE;
            }
        }
      if (!desk_deactivation_plan_check (self->plan, self->session, &error))
        {
          set_message (self->labs_error, error->message);
          return FALSE;
        }
      set_message (self->labs_error, NULL);
    }

  return TRUE;
}

/* Reading the impact */

static void
on_plan_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  DeskDeactivationAssistant *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskDeactivationPlan) plan = desk_deactivation_plan_new_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }

  gtk_spinner_set_spinning (self->loading_spinner, FALSE);
  if (plan == NULL)
    {
      adw_status_page_set_description (self->refused_page, error->message);
      gtk_widget_set_visible (self->refused_read_again, FALSE);
      show_page (self, DESK_ASSISTANT_PAGE_REFUSED, -1);
      gtk_widget_grab_focus (self->close_button);
      g_object_unref (self);
      return;
    }

  g_set_object (&self->plan, plan);
  fill_impact (self);
  fill_labs (self);
  for (guint i = 0; i < N_MOVES; i++)
    update_move_page (self, (DeskDeactivationCategory) i);
  go_to_step (self, STEP_IMPACT);
  g_object_unref (self);
}

static void
read_impact (DeskDeactivationAssistant *self)
{
  g_autofree char *reading = NULL;

  g_clear_object (&self->plan);
  /* Translators: %s is the name of the member being deactivated */
  reading = g_strdup_printf (_("Reading what depends on %s…"), member_name (self));
  gtk_label_set_label (self->loading_label, reading);
  gtk_spinner_set_spinning (self->loading_spinner, TRUE);
  show_page (self, DESK_ASSISTANT_PAGE_LOADING, -1);
  desk_deactivation_plan_new_async (self->session, desk_member_get_id (self->member),
                                    self->cancellable, on_plan_read, g_object_ref (self));
}

/* Executing */

static void
on_executed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  DeskDeactivationAssistant *self = user_data;
  g_autoptr(GError) error = NULL;
  DeskDeactivationReport *report;
  g_autofree char *title = NULL;

  report = desk_deactivation_execute_finish (DESK_SESSION (source), result, &error);
  self->working = FALSE;
  gtk_spinner_set_spinning (self->working_spinner, FALSE);

  if (report == NULL)
    {
      /* Nothing changed: back to the summary with the model's words. */
      go_to_step (self, STEP_SUMMARY);
      set_message (self->summary_error, error->message);
      gtk_widget_set_visible (self->read_again_button,
                              g_error_matches (error, DESK_DEACTIVATION_ERROR,
                                               DESK_DEACTIVATION_ERROR_PLAN_CHANGED));
      g_object_unref (self);
      return;
    }

  self->report = report;
  fill_sentences (self->report_box, (const char * const *) report->lines);
  /* Translators: %s is the name of the member deactivated */
  title = g_strdup_printf (_("%s is deactivated"), member_name (self));
  gtk_label_set_label (self->report_title, title);
  adw_window_title_set_title (self->window_title, title);
  show_page (self, DESK_ASSISTANT_PAGE_REPORT, -1);
  gtk_widget_grab_focus (self->close_button);
  if (self->parent != NULL)
    desk_window_chrome_toast (self->parent, title);
  g_object_unref (self);
}

static void
execute (DeskDeactivationAssistant *self)
{
  g_autofree char *working = NULL;

  self->working = TRUE;
  /* Translators: %s is the name of the member being deactivated */
  working = g_strdup_printf (_("Deactivating %s…"), member_name (self));
  gtk_label_set_label (self->working_label, working);
  gtk_spinner_set_spinning (self->working_spinner, TRUE);
  show_page (self, DESK_ASSISTANT_PAGE_WORKING, -1);
  /* Not cancellable: once it runs, the transaction completes or changes nothing. */
  desk_deactivation_execute_async (self->session, self->plan, NULL, on_executed,
                                   g_object_ref (self));
}

static void
on_confirmed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  DeskDeactivationAssistant *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = desk_reauth_confirm_finish (DESK_REAUTH (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }

  self->confirming = FALSE;
  gtk_editable_set_editable (GTK_EDITABLE (self->password_entry), TRUE);
  if (!ok)
    {
      set_message (self->summary_error, error->message);
      update_actions (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
      g_object_unref (self);
      return;
    }

  execute (self);
  g_object_unref (self);
}

/* Callbacks */

static void
on_choice_toggled (DeskDeactivationAssistant *self)
{
  for (guint i = 0; i < N_MOVES; i++)
    {
      set_message (self->moves[i].error, NULL);
      update_move_page (self, (DeskDeactivationCategory) i);
    }
  update_actions (self);
}

static void
on_receiver_chosen (DeskDeactivationAssistant *self)
{
  on_choice_toggled (self);
}

static void
on_password_changed (DeskDeactivationAssistant *self)
{
  update_actions (self);
}

static void
on_password_activate (DeskDeactivationAssistant *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "assistant.deactivate", NULL);
}

static gboolean
on_close_request (DeskDeactivationAssistant *self)
{
  /* A deactivation under way completes (or changes nothing) on its own;
   * the window stays to say which. */
  if (self->working)
    return TRUE;
  g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
on_chooser_response (DeskDeactivationAssistant *self,
                     int                        response,
                     GtkNativeDialog           *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
  update_actions (self);

  if (file != NULL)
    desk_deactivation_assistant_export (self, file);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  DeskDeactivationAssistant *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s says why, from the system */
          text = g_strdup_printf (_("The report could not be saved: %s"), error->message);
          gtk_label_set_label (self->export_label, text);
          gtk_widget_set_visible (GTK_WIDGET (self->export_label), TRUE);
        }
    }
  else
    {
      g_autofree char *name = g_file_get_parse_name (G_FILE (source));

      /* Translators: %s is a file's name */
      text = g_strdup_printf (_("Report saved as “%s”"), name);
      gtk_label_set_label (self->export_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->export_label), TRUE);
      g_object_set_data (G_OBJECT (self), "exported", GINT_TO_POINTER (TRUE));
    }
  g_object_unref (self);
}

/* Actions */

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DeskDeactivationAssistant *self = DESK_DEACTIVATION_ASSISTANT (widget);
  int step = self->step - 1;

  if (self->step <= STEP_IMPACT)
    return;
  while (step > STEP_IMPACT && !step_shown (self, step))
    step--;
  /* A keyring's answer still to come is for a summary no longer shown. */
  self->check_serial++;
  self->checking = FALSE;
  go_to_step (self, step);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DeskDeactivationAssistant *self = DESK_DEACTIVATION_ASSISTANT (widget);
  int step = self->step + 1;

  if (self->step < 0 || self->step >= STEP_SUMMARY || !step_ready (self, self->step))
    return;
  if (!apply_step (self, self->step))
    return;
  while (step < STEP_SUMMARY && !step_shown (self, step))
    step++;
  go_to_step (self, step);
}

static void
deactivate_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DeskDeactivationAssistant *self = DESK_DEACTIVATION_ASSISTANT (widget);
  g_autofree char *password = NULL;

  if (self->step != STEP_SUMMARY || self->checking || self->confirming || self->working)
    return;

  set_message (self->summary_error, NULL);
  if (self->remembered)
    {
      execute (self);
      return;
    }

  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_entry)));
  if (*password == '\0')
    return;
  /* The password does not stay in the entry while it is checked. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  gtk_editable_set_editable (GTK_EDITABLE (self->password_entry), FALSE);
  self->confirming = TRUE;
  update_actions (self);
  desk_reauth_confirm_async (self->reauth, password, self->cancellable, on_confirmed,
                             g_object_ref (self));
  explicit_bzero (password, strlen (password));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
read_again_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  read_impact (DESK_DEACTIVATION_ASSISTANT (widget));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DeskDeactivationAssistant *self = DESK_DEACTIVATION_ASSISTANT (widget);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (self->report == NULL || self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Export Deactivation Report"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), csv);
  /* Translators: a file name; %s is the member's username */
  name = g_strdup_printf (_("deactivation-%s.csv"), desk_member_get_username (self->member));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
  update_actions (self);
}

/* Overrides */

static void
desk_deactivation_assistant_dispose (GObject *object)
{
  DeskDeactivationAssistant *self = DESK_DEACTIVATION_ASSISTANT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_weak_pointer (&self->parent);

  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_DEACTIVATION_ASSISTANT);

  g_clear_object (&self->plan);
  g_clear_object (&self->member);
  g_clear_object (&self->reauth);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->lab_pickers, g_ptr_array_unref);

  G_OBJECT_CLASS (desk_deactivation_assistant_parent_class)->dispose (object);
}

static void
desk_deactivation_assistant_finalize (GObject *object)
{
  DeskDeactivationAssistant *self = DESK_DEACTIVATION_ASSISTANT (object);

  g_clear_pointer (&self->report, desk_deactivation_report_free);

  G_OBJECT_CLASS (desk_deactivation_assistant_parent_class)->finalize (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, DeskDeactivationAssistant, name)

static void
desk_deactivation_assistant_class_init (DeskDeactivationAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *prefixes[N_MOVES] = { "appointments", "qnaires", "inbox" };

  object_class->dispose = desk_deactivation_assistant_dispose;
  object_class->finalize = desk_deactivation_assistant_finalize;

  g_type_ensure (DESK_TYPE_RECEIVER_PICKER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/desk-deactivation-assistant.ui");
  BIND (window_title);
  BIND (cancel_button);
  BIND (back_button);
  BIND (next_button);
  BIND (deactivate_button);
  BIND (close_button);
  BIND (stack);
  BIND (loading_spinner);
  BIND (loading_label);
  BIND (working_spinner);
  BIND (working_label);
  BIND (refused_page);
  BIND (refused_read_again);
  BIND (impact_title);
  BIND (appointments_count);
  BIND (recurring_count);
  BIND (sent_count);
  BIND (inbox_count);
  BIND (labs_count);
  BIND (billing_state);
  BIND (labs_impact_group);
  BIND (billing_warning_box);
  BIND (billing_warning);
  BIND (reason_row);
  BIND (labs_description);
  BIND (labs_block_box);
  BIND (labs_block);
  BIND (labs_box);
  BIND (labs_error);
  BIND (summary_box);
  BIND (checking_box);
  BIND (checking_spinner);
  BIND (remembered_label);
  BIND (password_entry);
  BIND (summary_error);
  BIND (read_again_button);
  BIND (report_title);
  BIND (report_box);
  BIND (export_label);
  for (guint i = 0; i < N_MOVES; i++)
    {
      g_autofree char *description = g_strconcat (prefixes[i], "_description", NULL);
      g_autofree char *move = g_strconcat (prefixes[i], "_move", NULL);
      g_autofree char *picker = g_strconcat (prefixes[i], "_picker", NULL);
      g_autofree char *consequence = g_strconcat (prefixes[i], "_consequence", NULL);
      g_autofree char *warning_box = g_strconcat (prefixes[i], "_warning_box", NULL);
      g_autofree char *warning = g_strconcat (prefixes[i], "_warning", NULL);
      g_autofree char *error = g_strconcat (prefixes[i], "_error", NULL);
      gssize base = G_STRUCT_OFFSET (DeskDeactivationAssistant, moves) + i * sizeof (MovePage);

      gtk_widget_class_bind_template_child_full (widget_class, description, FALSE,
                                                 base + G_STRUCT_OFFSET (MovePage, description));
      gtk_widget_class_bind_template_child_full (widget_class, move, FALSE,
                                                 base + G_STRUCT_OFFSET (MovePage, move));
      gtk_widget_class_bind_template_child_full (widget_class, picker, FALSE,
                                                 base + G_STRUCT_OFFSET (MovePage, picker));
      gtk_widget_class_bind_template_child_full (widget_class, consequence, FALSE,
                                                 base + G_STRUCT_OFFSET (MovePage, consequence));
      gtk_widget_class_bind_template_child_full (widget_class, warning_box, FALSE,
                                                 base + G_STRUCT_OFFSET (MovePage, warning_box));
      gtk_widget_class_bind_template_child_full (widget_class, warning, FALSE,
                                                 base + G_STRUCT_OFFSET (MovePage, warning));
      gtk_widget_class_bind_template_child_full (widget_class, error, FALSE,
                                                 base + G_STRUCT_OFFSET (MovePage, error));
    }
  gtk_widget_class_bind_template_callback (widget_class, on_choice_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_receiver_chosen);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activate);

  gtk_widget_class_install_action (widget_class, "assistant.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "assistant.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "assistant.deactivate", NULL, deactivate_action);
  gtk_widget_class_install_action (widget_class, "assistant.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "assistant.read-again", NULL, read_again_action);
  gtk_widget_class_install_action (widget_class, "assistant.export", NULL, export_action);
}

static void
desk_deactivation_assistant_init (DeskDeactivationAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->step = -1;
  self->cancellable = g_cancellable_new ();
  self->lab_pickers = g_ptr_array_new ();
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
  desk_a11y_hide_inactive_pages (GTK_WIDGET (self->stack));
  for (guint i = 0; i < N_MOVES; i++)
    {
      set_message (self->moves[i].error, NULL);
      gtk_widget_set_visible (self->moves[i].warning_box, FALSE);
    }
  set_message (self->labs_error, NULL);
  set_message (self->summary_error, NULL);
  set_message (self->export_label, NULL);
}

/* Public API */

DeskDeactivationAssistant *
desk_deactivation_assistant_new (GtkWindow   *parent,
                                 DeskSession *session,
                                 DeskReauth  *reauth,
                                 DeskMember  *member)
{
  DeskDeactivationAssistant *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DESK_IS_SESSION (session), NULL);
  g_return_val_if_fail (DESK_IS_REAUTH (reauth), NULL);
  g_return_val_if_fail (DESK_IS_MEMBER (member), NULL);

  self = g_object_new (DESK_TYPE_DEACTIVATION_ASSISTANT,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
  g_set_weak_pointer (&self->parent, parent);
  self->session = g_object_ref (session);
  self->reauth = g_object_ref (reauth);
  self->member = g_object_ref (member);

  /* Translators: the assistant's title; %s is the member's name */
  title = g_strdup_printf (_("Deactivate %s"), member_name (self));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);

  setup_move_pages (self);
  read_impact (self);
  return self;
}

void
desk_deactivation_assistant_export (DeskDeactivationAssistant *self,
                                    GFile                     *file)
{
  g_autoptr(GBytes) bytes = NULL;
  char *csv;

  g_return_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->report != NULL);

  set_message (self->export_label, NULL);
  csv = desk_deactivation_report_to_csv (self->report);
  bytes = g_bytes_new_take (csv, strlen (csv));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, on_exported, g_object_ref (self));
}

const char *
desk_deactivation_assistant_get_page (DeskDeactivationAssistant *self)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
desk_deactivation_assistant_get_busy (DeskDeactivationAssistant *self)
{
  const char *page;

  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), FALSE);

  page = gtk_stack_get_visible_child_name (self->stack);
  return self->working || self->checking || self->confirming ||
         g_strcmp0 (page, DESK_ASSISTANT_PAGE_LOADING) == 0;
}

DeskDeactivationPlan *
desk_deactivation_assistant_get_plan (DeskDeactivationAssistant *self)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);

  return self->plan;
}

const DeskDeactivationReport *
desk_deactivation_assistant_get_report (DeskDeactivationAssistant *self)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);

  return self->report;
}

static const char *
shown_text (GtkLabel *label)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (label)))
    return NULL;
  return gtk_label_get_label (label);
}

const char *
desk_deactivation_assistant_get_message (DeskDeactivationAssistant *self)
{
  const char *page;

  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);

  page = gtk_stack_get_visible_child_name (self->stack);
  if (g_strcmp0 (page, DESK_ASSISTANT_PAGE_REFUSED) == 0)
    return adw_status_page_get_description (self->refused_page);
  if (self->step >= STEP_APPOINTMENTS && self->step <= STEP_INBOX)
    return shown_text (self->moves[self->step - 1].error);
  if (self->step == STEP_LABS)
    {
      if (self->labs_blocked)
        return gtk_label_get_label (self->labs_block);
      return shown_text (self->labs_error);
    }
  if (self->step == STEP_SUMMARY)
    return shown_text (self->summary_error);
  if (g_strcmp0 (page, DESK_ASSISTANT_PAGE_REPORT) == 0)
    return shown_text (self->export_label);
  return NULL;
}

DeskReceiverPicker *
desk_deactivation_assistant_get_picker (DeskDeactivationAssistant *self,
                                        DeskDeactivationCategory   category)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);
  g_return_val_if_fail (category < N_MOVES, NULL);

  return self->moves[category].picker;
}

GtkCheckButton *
desk_deactivation_assistant_get_consequence (DeskDeactivationAssistant *self,
                                             DeskDeactivationCategory   category)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);
  g_return_val_if_fail (category < N_MOVES, NULL);

  return self->moves[category].consequence;
}

GtkCheckButton *
desk_deactivation_assistant_get_move (DeskDeactivationAssistant *self,
                                      DeskDeactivationCategory   category)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);
  g_return_val_if_fail (category < N_MOVES, NULL);

  return self->moves[category].move;
}

const char *
desk_deactivation_assistant_get_warning (DeskDeactivationAssistant *self,
                                         DeskDeactivationCategory   category)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);
  g_return_val_if_fail (category < N_MOVES, NULL);

  if (!gtk_widget_get_visible (self->moves[category].warning_box))
    return NULL;
  return gtk_label_get_label (self->moves[category].warning);
}

DeskReceiverPicker *
desk_deactivation_assistant_get_lab_picker (DeskDeactivationAssistant *self,
                                            guint                      index)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);
  g_return_val_if_fail (index < self->lab_pickers->len, NULL);

  return g_ptr_array_index (self->lab_pickers, index);
}

GtkEditable *
desk_deactivation_assistant_get_reason (DeskDeactivationAssistant *self)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);

  return GTK_EDITABLE (self->reason_row);
}

GtkEditable *
desk_deactivation_assistant_get_password (DeskDeactivationAssistant *self)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);

  return GTK_EDITABLE (self->password_entry);
}

char **
desk_deactivation_assistant_dup_lines (DeskDeactivationAssistant *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GtkWidget *box;

  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);

  box = GTK_WIDGET (self->step == STEP_SUMMARY ? self->summary_box : self->report_box);
  for (GtkWidget *row = gtk_widget_get_first_child (box); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    g_strv_builder_add (builder, gtk_label_get_label (GTK_LABEL (gtk_widget_get_last_child (row))));
  return g_strv_builder_end (builder);
}

gboolean
desk_deactivation_assistant_get_action_enabled (DeskDeactivationAssistant *self,
                                                const char                *action)
{
  struct { const char *name; GtkWidget *button; } buttons[] = {
    { "next", self->next_button }, { "back", self->back_button },
    { "deactivate", self->deactivate_button }, { "cancel", self->cancel_button },
    { "close", self->close_button },
  };

  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    if (g_strcmp0 (action, buttons[i].name) == 0)
      return gtk_widget_get_visible (buttons[i].button) &&
             gtk_widget_get_sensitive (buttons[i].button);
  g_return_val_if_reached (FALSE);
}
