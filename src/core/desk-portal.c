/* desk-portal.c: a client's portal access, invitations, sign-in and what they see
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Staff changes (enable, resend, disable) go through the change path.  The
 * portal's own steps (accepting an invitation, signing in) have no member
 * signed in by nature: accepting is a system change on the change path
 * (_desk_change_run_system), and sign-in keeps its attempts as members'
 * sign-in does (desk-sign-in.c), in two short write transactions around
 * the password check, so that a process killed while checking has spent a
 * guess.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "desk-audit-private.h"
#include "desk-change-private.h"
#include "desk-client.h"
#include "desk-client-private.h"
#include "desk-db-private.h"
#include "desk-json.h"
#include "desk-portal.h"
#include "desk-session.h"
#include "desk-sign-in-private.h"
#include "desk-sign-in.h"
#include "desk-store-private.h"

G_DEFINE_QUARK (desk-portal-error-quark, desk_portal_error)

#define TOKEN_BYTES 32
#define DAY (24 * 60 * 60)

/* The one answer for every refused sign-in: it must tell nothing. */
#define REFUSED_TEXT N_("We couldn’t sign you in. Check that your email address is correct, or " \
                        "contact your provider.")

/* States */

const char *
desk_portal_state_to_string (DeskPortalState state)
{
  switch (state)
    {
    case DESK_PORTAL_STATE_NOT_INVITED:
      return "not-invited";
    case DESK_PORTAL_STATE_INVITED:
      return "invited";
    case DESK_PORTAL_STATE_INVITATION_EXPIRED:
      return "invitation-expired";
    case DESK_PORTAL_STATE_ACTIVE:
      return "active";
    case DESK_PORTAL_STATE_DISABLED:
      return "disabled";
    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
format_day (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  /* Translators: a day, e.g. "9 Dec 2026"; see g_date_time_format () */
  return time != NULL ? g_date_time_format (time, C_("portal date", "%-d %b %Y")) : g_strdup ("");
}

char *
desk_portal_status_describe (const DeskPortalStatus *status)
{
  g_autofree char *day = NULL;

  g_return_val_if_fail (status != NULL, NULL);

  switch (status->state)
    {
    case DESK_PORTAL_STATE_NOT_INVITED:
      return g_strdup (_("Not invited"));
    case DESK_PORTAL_STATE_INVITED:
      day = format_day (status->invited_until);
      /* Translators: %s is a day, e.g. "9 Dec 2026" */
      return g_strdup_printf (_("Invited until %s"), day);
    case DESK_PORTAL_STATE_INVITATION_EXPIRED:
      day = format_day (status->invited_until);
      /* Translators: %s is a day, e.g. "9 Dec 2026" */
      return g_strdup_printf (_("Invitation expired on %s"), day);
    case DESK_PORTAL_STATE_ACTIVE:
      return g_strdup (_("Active"));
    case DESK_PORTAL_STATE_DISABLED:
      return g_strdup (_("Disabled"));
    default:
      g_return_val_if_reached (NULL);
    }
}

/* What decides the state, read on @db. */
typedef struct
{
  gboolean exists;
  gboolean enabled;
  char    *email;
  char    *name;
  gint64   invitation_id;     /* the latest, or 0 */
  gint64   sent_at;
  gint64   expires_at;
  gint64   accepted_at;
  gint64   credential_invitation_id;
  gint64   n_invitations;
} Portal;

static void
portal_clear (Portal *portal)
{
  g_clear_pointer (&portal->email, g_free);
  g_clear_pointer (&portal->name, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Portal, portal_clear)

#define PORTAL_SQL                                                                        \
  "SELECT c.portal_access = 'enabled', c.email, c.given_name || ' ' || c.family_name,"   \
  " i.id, i.sent_at, i.expires_at, i.accepted_at,"                                        \
  " (SELECT p.invitation_id FROM portal_credentials p WHERE p.client_id = c.id),"         \
  " (SELECT count (*) FROM portal_invitations n WHERE n.client_id = c.id)"                \
  " FROM clients c LEFT JOIN portal_invitations i ON i.id ="                              \
  "  (SELECT l.id FROM portal_invitations l WHERE l.client_id = c.id"                     \
  "   ORDER BY l.sent_at DESC, l.id DESC LIMIT 1)"                                        \
  " WHERE c.id = ?"

static gboolean
read_portal_row (sqlite3_stmt  *stmt,
                 sqlite3       *db,
                 gint64         client_id,
                 Portal        *portal,
                 GError       **error)
{
  int rc;

  memset (portal, 0, sizeof *portal);
  sqlite3_bind_int64 (stmt, 1, client_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      portal->exists = TRUE;
      portal->enabled = sqlite3_column_int (stmt, 0) != 0;
      portal->email = _desk_db_column_dup (stmt, 1);
      portal->name = _desk_db_column_dup (stmt, 2);
      portal->invitation_id = sqlite3_column_int64 (stmt, 3);
      portal->sent_at = sqlite3_column_int64 (stmt, 4);
      portal->expires_at = sqlite3_column_int64 (stmt, 5);
      portal->accepted_at = sqlite3_column_int64 (stmt, 6);
      portal->credential_invitation_id = sqlite3_column_int64 (stmt, 7);
      portal->n_invitations = sqlite3_column_int64 (stmt, 8);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      _desk_db_set_no_such_record (error, TRUE, client_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _desk_db_set_error (error, db, rc, _("reading the client’s portal access"));
      return FALSE;
    }
  return TRUE;
}

static void
status_from_portal (const Portal     *portal,
                    gint64            now,
                    DeskPortalStatus *status)
{
  memset (status, 0, sizeof *status);
  status->invited_at = portal->sent_at;
  status->invited_until = portal->expires_at;

  if (!portal->enabled)
    status->state = portal->n_invitations > 0 ? DESK_PORTAL_STATE_DISABLED
                                              : DESK_PORTAL_STATE_NOT_INVITED;
  else if (portal->invitation_id == 0)
    status->state = DESK_PORTAL_STATE_NOT_INVITED;
  else if (portal->accepted_at != 0 && portal->credential_invitation_id == portal->invitation_id)
    {
      status->state = DESK_PORTAL_STATE_ACTIVE;
      status->accepted_at = portal->accepted_at;
    }
  else if (portal->expires_at <= now)
    status->state = DESK_PORTAL_STATE_INVITATION_EXPIRED;
  else
    status->state = DESK_PORTAL_STATE_INVITED;

  if (status->state == DESK_PORTAL_STATE_INVITED ||
      status->state == DESK_PORTAL_STATE_INVITATION_EXPIRED)
    status->resend_after = portal->sent_at + DESK_PORTAL_RESEND_INTERVAL;
}

gboolean
desk_portal_get_status (DeskStore         *store,
                        gint64             client_id,
                        DeskPortalStatus  *status,
                        GError           **error)
{
  g_auto(Portal) portal = { 0 };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  stmt = _desk_store_prepare (store, PORTAL_SQL, error);
  if (stmt == NULL ||
      !read_portal_row (stmt, _desk_store_get_db (store), client_id, &portal, error))
    return FALSE;
  status_from_portal (&portal, desk_store_get_now (store), status);
  return TRUE;
}

/* The lifetime */

guint
desk_portal_get_invitation_lifetime (DeskStore  *store,
                                     GError    **error)
{
  g_return_val_if_fail (DESK_IS_STORE (store), 0);

  return _desk_store_count (store, "SELECT invitation_lifetime_days FROM clinic", NULL, error);
}

typedef struct
{
  gint64  client_id;
  guint   days;
  char   *token;          /* out: the new invitation's */
  gboolean resend;
  const gint64 *ids;
  guint   n_ids;
  guint   changed;
  guint   unchanged;
} PortalChange;

static gboolean
set_lifetime (DeskChange  *change,
              gpointer     user_data,
              GError     **error)
{
  PortalChange *data = user_data;
  g_autoptr(GString) details = g_string_new (NULL);
  sqlite3_stmt *stmt;

  stmt = _desk_change_prepare (change, "UPDATE clinic SET invitation_lifetime_days = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, (int) data->days);
  if (!_desk_change_step (change, stmt, _("changing the invitation lifetime"), error))
    return FALSE;
  desk_json_begin_object (details);
  desk_json_key (details, "days");
  desk_json_int (details, data->days);
  desk_json_end_object (details);
  return desk_change_audit (change, "clinic.invitation-lifetime", DESK_RECORD_CLINIC, 1, NULL,
                            details->str, error);
}

gboolean
desk_portal_set_invitation_lifetime (DeskSession  *session,
                                     guint         days,
                                     GError      **error)
{
  PortalChange data = { 0 };

  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);

  if (days < 1 || days > 30)
    {
      g_set_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_INVALID_LIFETIME,
                   _("An invitation lasts from 1 to 30 days."));
      return FALSE;
    }
  data.days = days;
  return desk_change_run (session, DESK_PERMISSION_MANAGE_CLIENTS, DESK_CHANGE_DEFAULT,
                          set_lifetime, &data, error);
}

/* Invitations */

static void
hash_token (const char *token,
            guint8      digest[32])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = 32;

  g_checksum_update (checksum, (const guchar *) token, -1);
  g_checksum_get_digest (checksum, digest, &len);
}

static char *
new_token (void)
{
  guint8 bytes[TOKEN_BYTES];
  char text[sodium_base64_ENCODED_LEN (TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (text, sizeof text, bytes, sizeof bytes,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (text);
}

static gboolean
read_portal (DeskChange  *change,
             gint64       client_id,
             Portal      *portal,
             GError     **error)
{
  sqlite3_stmt *stmt = _desk_change_prepare (change, PORTAL_SQL, error);

  return stmt != NULL &&
         read_portal_row (stmt, _desk_change_get_db (change), client_id, portal, error);
}

static gboolean
void_invitations (DeskChange  *change,
                  gint64       client_id,
                  GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _desk_change_prepare (change, "UPDATE portal_invitations SET revoked_at = ?"
                                       " WHERE client_id = ? AND revoked_at IS NULL"
                                       " AND accepted_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, desk_change_get_now (change));
  sqlite3_bind_int64 (stmt, 2, client_id);
  return _desk_change_step (change, stmt, _("voiding the older invitations"), error);
}

/* A new invitation for @portal's client, the older ones voided. */
static gboolean
invite (DeskChange    *change,
        PortalChange  *data,
        const Portal  *portal,
        GError       **error)
{
  g_autofree char *token = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  guint8 digest[32];
  sqlite3_stmt *stmt;
  gint64 now = desk_change_get_now (change);
  gint64 days;

  stmt = _desk_change_prepare (change, "SELECT invitation_lifetime_days FROM clinic", error);
  if (stmt == NULL)
    return FALSE;
  days = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (days <= 0)
    {
      _desk_db_set_error (error, _desk_change_get_db (change), SQLITE_CORRUPT,
                          _("reading the invitation lifetime"));
      return FALSE;
    }
  if (!void_invitations (change, data->client_id, error))
    return FALSE;

  token = new_token ();
  hash_token (token, digest);
  stmt = _desk_change_prepare (change, "INSERT INTO portal_invitations (client_id, email,"
                                       " token_hash, sent_at, sent_by, expires_at)"
                                       " VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->client_id);
  sqlite3_bind_text (stmt, 2, portal->email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 3, digest, sizeof digest, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_int64 (stmt, 5, desk_change_get_actor_id (change));
  sqlite3_bind_int64 (stmt, 6, now + days * DAY);
  if (!_desk_change_step (change, stmt, _("inviting the client to the portal"), error))
    return FALSE;

  stmt = _desk_change_prepare (change, "UPDATE clients SET portal_access = 'enabled',"
                                       " portal_invitation = 'pending' WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->client_id);
  if (!_desk_change_step (change, stmt, _("enabling portal access"), error))
    return FALSE;

  desk_json_begin_object (details);
  desk_json_key (details, "invitation_id");
  desk_json_int (details, sqlite3_last_insert_rowid (_desk_change_get_db (change)));
  desk_json_key (details, "expires_at");
  desk_json_time (details, now + days * DAY);
  desk_json_end_object (details);
  if (!desk_change_audit (change, data->resend ? "portal.resend" : "portal.enable",
                          DESK_RECORD_CLIENT, data->client_id, NULL, details->str, error))
    return FALSE;
  desk_change_touch (change, DESK_RECORD_INVITATION, data->client_id);
  data->token = g_steal_pointer (&token);
  return TRUE;
}

static gboolean
enable (DeskChange  *change,
        gpointer     user_data,
        GError     **error)
{
  PortalChange *data = user_data;
  g_auto(Portal) portal = { 0 };

  if (!read_portal (change, data->client_id, &portal, error))
    return FALSE;
  if (data->resend)
    {
      gint64 wait;

      if (!portal.enabled || portal.invitation_id == 0 ||
          (portal.accepted_at != 0 && portal.credential_invitation_id == portal.invitation_id))
        {
          g_set_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_NOT_INVITED,
                       /* Translators: %s is a client's name */
                       _("%s has no invitation waiting to be accepted: there is nothing to send "
                         "again."), portal.name);
          return FALSE;
        }
      wait = portal.sent_at + DESK_PORTAL_RESEND_INTERVAL - desk_change_get_now (change);
      if (wait > 0)
        {
          int minutes = (int) ((wait + 59) / 60);

          g_set_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_RESEND_TOO_SOON,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "An invitation was sent less than 5 minutes ago. Wait %d minute before sending it again.",
                                    "An invitation was sent less than 5 minutes ago. Wait %d minutes before sending it again.",
                                    minutes),
                       minutes);
          return FALSE;
        }
    }
  else if (portal.enabled)
    {
      g_set_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_ALREADY_ENABLED,
                   /* Translators: %s is a client's name */
                   _("Portal access is already on for %s."), portal.name);
      return FALSE;
    }
  if (portal.email == NULL || portal.email[0] == '\0')
    {
      g_set_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_NO_EMAIL,
                   /* Translators: %s is a client's name */
                   _("%s has no email address to send the invitation to. Add one first."),
                   portal.name);
      return FALSE;
    }
  return invite (change, data, &portal, error);
}

static gboolean
run_enable (DeskSession  *session,
            gint64        client_id,
            gboolean      resend,
            char        **token,
            GError      **error)
{
  PortalChange data = { 0 };

  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);

  data.client_id = client_id;
  data.resend = resend;
  if (!desk_change_run (session, DESK_PERMISSION_MANAGE_CLIENTS, DESK_CHANGE_DEFAULT, enable,
                        &data, error))
    {
      g_free (data.token);
      return FALSE;
    }
  if (token != NULL)
    *token = g_steal_pointer (&data.token);
  g_free (data.token);
  return TRUE;
}

gboolean
desk_portal_enable (DeskSession  *session,
                    gint64        client_id,
                    char        **token,
                    GError      **error)
{
  return run_enable (session, client_id, FALSE, token, error);
}

gboolean
desk_portal_resend (DeskSession  *session,
                    gint64        client_id,
                    char        **token,
                    GError      **error)
{
  return run_enable (session, client_id, TRUE, token, error);
}

/* Disabling */

static gboolean
disable_one (DeskChange  *change,
             gint64       client_id,
             gboolean     refuse_if_off,
             gboolean    *changed,
             GError     **error)
{
  g_auto(Portal) portal = { 0 };
  sqlite3_stmt *stmt;

  *changed = FALSE;
  if (!read_portal (change, client_id, &portal, error))
    return FALSE;
  if (!portal.enabled)
    {
      if (refuse_if_off)
        g_set_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_ALREADY_DISABLED,
                     /* Translators: %s is a client's name */
                     _("Portal access is already off for %s."), portal.name);
      return !refuse_if_off;
    }
  if (!void_invitations (change, client_id, error))
    return FALSE;
  stmt = _desk_change_prepare (change, "UPDATE clients SET portal_access = 'disabled'"
                                       " WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  if (!_desk_change_step (change, stmt, _("disabling portal access"), error))
    return FALSE;
  desk_change_touch (change, DESK_RECORD_INVITATION, client_id);
  *changed = TRUE;
  return desk_change_audit (change, "portal.disable", DESK_RECORD_CLIENT, client_id, NULL, NULL,
                            error);
}

static gboolean
disable (DeskChange  *change,
         gpointer     user_data,
         GError     **error)
{
  PortalChange *data = user_data;
  gboolean changed;

  return disable_one (change, data->client_id, TRUE, &changed, error);
}

gboolean
desk_portal_disable (DeskSession  *session,
                     gint64        client_id,
                     GError      **error)
{
  PortalChange data = { 0 };

  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);

  data.client_id = client_id;
  return desk_change_run (session, DESK_PERMISSION_MANAGE_CLIENTS, DESK_CHANGE_DEFAULT, disable,
                          &data, error);
}

/* In bulk, what disable_one() does without reading the portal's state:
 * the UPDATE says whether access was on; only when it was not is the
 * client looked for, to tell that from one that does not exist. */
static gboolean
disable_quickly (DeskChange  *change,
                 gint64       client_id,
                 gboolean    *changed,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _desk_change_prepare (change, "UPDATE clients SET portal_access = 'disabled'"
                                       " WHERE id = ? AND portal_access = 'enabled'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  if (!_desk_change_step (change, stmt, _("disabling portal access"), error))
    return FALSE;
  *changed = sqlite3_changes (_desk_change_get_db (change)) > 0;
  if (*changed)
    {
      if (!void_invitations (change, client_id, error))
        return FALSE;
      desk_change_touch (change, DESK_RECORD_INVITATION, client_id);
      return desk_change_audit (change, "portal.disable", DESK_RECORD_CLIENT, client_id, NULL,
                                NULL, error);
    }

  stmt = _desk_change_prepare (change, "SELECT 1 FROM clients WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    _desk_db_set_no_such_record (error, TRUE, client_id);
  else
    _desk_db_set_error (error, _desk_change_get_db (change), rc,
                        _("reading the client’s portal access"));
  return FALSE;
}

static gboolean
disable_many (DeskChange  *change,
              gpointer     user_data,
              GError     **error)
{
  PortalChange *data = user_data;

  data->changed = data->unchanged = 0;
  for (guint i = 0; i < data->n_ids; i++)
    {
      gboolean changed = FALSE;

      if ((i & 1023) == 1023 && g_cancellable_set_error_if_cancelled (desk_change_get_cancellable (change),
                                                                      error))
        return FALSE;
      if (!disable_quickly (change, data->ids[i], &changed, error))
        return FALSE;
      if (changed)
        data->changed++;
      else
        data->unchanged++;
    }
  if (data->changed == 0)
    return desk_change_audit (change, "portal.disable-none", DESK_RECORD_CLIENT, 0, NULL, NULL,
                              error);
  return TRUE;
}

static gboolean
check_selection (guint    n_ids,
                 GError **error)
{
  if (n_ids == 0)
    {
      g_set_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_EMPTY_SELECTION,
                   _("No client is selected."));
      return FALSE;
    }
  return TRUE;
}

gboolean
desk_portal_disable_many (DeskSession   *session,
                          const gint64  *ids,
                          guint          n_ids,
                          guint         *changed,
                          guint         *unchanged,
                          GError       **error)
{
  PortalChange data = { 0 };

  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (!check_selection (n_ids, error))
    return FALSE;
  data.ids = ids;
  data.n_ids = n_ids;
  if (!desk_change_run (session, DESK_PERMISSION_MANAGE_CLIENTS, DESK_CHANGE_SENSITIVE,
                        disable_many, &data, error))
    return FALSE;
  if (changed != NULL)
    *changed = data.changed;
  if (unchanged != NULL)
    *unchanged = data.unchanged;
  return TRUE;
}

/* Inside a change (desk-client-private.h) */

gboolean
_desk_portal_change_invite (DeskChange  *change,
                            gint64       client_id,
                            gboolean     resend,
                            GError     **error)
{
  PortalChange data = { .client_id = client_id, .resend = resend };
  gboolean ok = enable (change, &data, error);

  /* The token goes to the client (by email, from the portal's side); the
   * front desk never sees it. */
  if (data.token != NULL)
    sodium_memzero (data.token, strlen (data.token));
  g_free (data.token);
  return ok;
}

gboolean
_desk_portal_change_disable (DeskChange  *change,
                             gint64       client_id,
                             gboolean     refuse_if_off,
                             gboolean    *changed,
                             GError     **error)
{
  return disable_one (change, client_id, refuse_if_off, changed, error);
}

static void
portal_change_free (gpointer user_data)
{
  PortalChange *data = user_data;

  g_free ((gpointer) data->ids);
  g_free (data->token);
  g_free (data);
}

static void
disabled_many (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!desk_change_run_finish (DESK_SESSION (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
desk_portal_disable_many_async (DeskSession          *session,
                                const gint64         *ids,
                                guint                 n_ids,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  GTask *task;
  GError *error = NULL;
  PortalChange *data;

  g_return_if_fail (DESK_IS_SESSION (session));
  g_return_if_fail (ids != NULL || n_ids == 0);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_portal_disable_many_async);
  if (!check_selection (n_ids, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data = g_new0 (PortalChange, 1);
  data->ids = g_memdup2 (ids, sizeof (gint64) * n_ids);
  data->n_ids = n_ids;
  g_task_set_task_data (task, data, portal_change_free);
  desk_change_run_async (session, DESK_PERMISSION_MANAGE_CLIENTS, DESK_CHANGE_SENSITIVE,
                         disable_many, data, NULL, cancellable, disabled_many, task);
}

gboolean
desk_portal_disable_many_finish (DeskSession   *session,
                                 GAsyncResult  *result,
                                 guint         *changed,
                                 guint         *unchanged,
                                 GError       **error)
{
  PortalChange *data;

  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == desk_portal_disable_many_async,
                        FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (changed != NULL)
    *changed = data->changed;
  if (unchanged != NULL)
    *unchanged = data->unchanged;
  return TRUE;
}

/* Accepting an invitation */

typedef struct
{
  guint8      digest[32];
  const char *password_hash;
  gint64      client_id;
} Acceptance;

static gboolean
accept (DeskChange  *change,
        gpointer     user_data,
        GError     **error)
{
  Acceptance *data = user_data;
  sqlite3_stmt *stmt;
  g_autofree char *email = NULL;
  gint64 invitation_id = 0, client_id = 0, expires_at = 0, latest = 0;
  gboolean usable = FALSE, enabled = FALSE;
  int rc;

  stmt = _desk_change_prepare (change,
                               "SELECT i.id, i.client_id, i.expires_at,"
                               " i.accepted_at IS NULL AND i.revoked_at IS NULL,"
                               " c.portal_access = 'enabled', lower (i.email),"
                               " (SELECT l.id FROM portal_invitations l WHERE l.client_id = i.client_id"
                               "   ORDER BY l.sent_at DESC, l.id DESC LIMIT 1)"
                               " FROM portal_invitations i JOIN clients c ON c.id = i.client_id"
                               " WHERE i.token_hash = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, data->digest, sizeof data->digest, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      invitation_id = sqlite3_column_int64 (stmt, 0);
      client_id = sqlite3_column_int64 (stmt, 1);
      expires_at = sqlite3_column_int64 (stmt, 2);
      usable = sqlite3_column_int (stmt, 3) != 0;
      enabled = sqlite3_column_int (stmt, 4) != 0;
      email = _desk_db_column_dup (stmt, 5);
      latest = sqlite3_column_int64 (stmt, 6);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, _desk_change_get_db (change), rc, _("accepting the invitation"));
      return FALSE;
    }
  /* Unknown, used, voided, expired, superseded, or access turned off:
   * one answer, so that a token tells nothing about the others. */
  if (invitation_id == 0 || !usable || !enabled || latest != invitation_id ||
      expires_at <= desk_change_get_now (change))
    {
      g_set_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_INVITATION_INVALID,
                   _("This invitation cannot be used: it has expired, was already used or was "
                     "replaced by a newer one. Ask your provider for a new invitation."));
      return FALSE;
    }

  stmt = _desk_change_prepare (change, "UPDATE portal_invitations SET accepted_at = ?"
                                       " WHERE id = ? AND accepted_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, desk_change_get_now (change));
  sqlite3_bind_int64 (stmt, 2, invitation_id);
  if (!_desk_change_step (change, stmt, _("accepting the invitation"), error))
    return FALSE;

  /* The credentials belong to this invitation from now on. */
  stmt = _desk_change_prepare (change,
                               "INSERT INTO portal_credentials (client_id, invitation_id, email,"
                               " password_hash, set_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                               " ON CONFLICT (client_id) DO UPDATE SET invitation_id = ?2,"
                               " email = ?3, password_hash = ?4, set_at = ?5", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  sqlite3_bind_int64 (stmt, 2, invitation_id);
  sqlite3_bind_text (stmt, 3, email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, data->password_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, desk_change_get_now (change));
  if (!_desk_change_step (change, stmt, _("setting the portal password"), error))
    return FALSE;

  stmt = _desk_change_prepare (change, "UPDATE clients SET portal_invitation = 'accepted'"
                                       " WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  if (!_desk_change_step (change, stmt, _("accepting the invitation"), error))
    return FALSE;

  data->client_id = client_id;
  desk_change_touch (change, DESK_RECORD_INVITATION, client_id);
  return desk_change_audit (change, "portal.accept-invitation", DESK_RECORD_CLIENT, client_id,
                            NULL, NULL, error);
}

gboolean
desk_portal_accept_invitation (DeskStore    *store,
                               const char   *token,
                               const char   *password,
                               gint64       *client_id,
                               GError      **error)
{
  g_autofree char *hash = NULL;
  Acceptance data = { { 0 }, NULL, 0 };
  glong length;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);
  g_return_val_if_fail (token != NULL && password != NULL, FALSE);

  length = g_utf8_validate (password, -1, NULL) ? g_utf8_strlen (password, -1) : -1;
  if (length < DESK_PORTAL_MIN_PASSWORD)
    {
      g_set_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_WEAK_PASSWORD,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Choose a password of at least %d character.",
                                "Choose a password of at least %d characters.",
                                DESK_PORTAL_MIN_PASSWORD),
                   DESK_PORTAL_MIN_PASSWORD);
      return FALSE;
    }
  /* Hashed before the write transaction: tens of milliseconds by design. */
  hash = desk_password_hash (password, error);
  if (hash == NULL)
    return FALSE;
  hash_token (token, data.digest);
  data.password_hash = hash;
  if (!_desk_change_run_system (store, accept, &data, error))
    return FALSE;
  if (client_id != NULL)
    *client_id = data.client_id;
  return TRUE;
}

/* Signing in */

static char *
fold_email (const char *email)
{
  g_autofree char *stripped = g_strstrip (g_strdup (email));

  return g_utf8_validate (stripped, -1, NULL) ? g_utf8_strdown (stripped, -1) : g_strdup ("");
}

/* The first half, in one write transaction: refuses while the email's
 * failures call for a wait, or reserves the attempt as a failure. */
static gboolean
reserve (sqlite3     *db,
         const char  *email,
         gint64       now,
         gint64      *wait,
         gint64      *attempt_id,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  guint hour = 0, in_a_row = 0;
  gint64 last = 0;
  int rc;

  *wait = 0;
  *attempt_id = 0;
  if (!_desk_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  rc = sqlite3_prepare_v2 (db,
                           "SELECT (SELECT count (*) FROM portal_sign_in_attempts"
                           "   WHERE email = ?1 AND succeeded = 0 AND at > ?2 - 3600),"
                           " (SELECT count (*) FROM portal_sign_in_attempts WHERE email = ?1"
                           "   AND succeeded = 0 AND id > coalesce ((SELECT max (id)"
                           "    FROM portal_sign_in_attempts WHERE email = ?1 AND succeeded = 1), 0)),"
                           " (SELECT coalesce (max (at), 0) FROM portal_sign_in_attempts"
                           "   WHERE email = ?1 AND succeeded = 0)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, email, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, now);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_ROW)
    {
      hour = sqlite3_column_int (stmt, 0);
      in_a_row = sqlite3_column_int (stmt, 1);
      last = sqlite3_column_int64 (stmt, 2);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_OK)
    goto failed;

  *wait = _desk_sign_in_required_wait (in_a_row, hour, last, now);
  if (*wait == 0)
    {
      rc = sqlite3_prepare_v2 (db, "INSERT INTO portal_sign_in_attempts (email, at, succeeded)"
                                   " VALUES (?, ?, 0)", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_text (stmt, 1, email, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 2, now);
          rc = sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        goto failed;
      *attempt_id = sqlite3_last_insert_rowid (db);
    }
  if (_desk_db_exec (db, "COMMIT", error))
    return TRUE;
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;

failed:
  _desk_db_set_error (error, db, rc, _("signing in to the portal"));
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* The second half: a success on record, audited, or the failure audited. */
static gboolean
record (sqlite3     *db,
        const char  *email,
        gint64       attempt_id,
        gint64       client_id,
        gint64       now,
        gboolean     succeeded,
        GError     **error)
{
  g_autoptr(GString) details = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc = SQLITE_DONE;

  if (!_desk_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (succeeded)
    {
      rc = sqlite3_prepare_v2 (db, "UPDATE portal_sign_in_attempts SET succeeded = 1,"
                                   " client_id = ? WHERE id = ?", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_int64 (stmt, 1, client_id);
          sqlite3_bind_int64 (stmt, 2, attempt_id);
          rc = sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
    }
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("signing in to the portal"));
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  desk_json_begin_object (details);
  desk_json_key (details, "email");
  desk_json_string (details, email);
  desk_json_end_object (details);
  if (_desk_audit_append (db, now, 0, succeeded ? "portal.sign-in" : "portal.sign-in-failed",
                          "client", succeeded ? client_id : 0, "", details->str, error) &&
      _desk_db_exec (db, "COMMIT", error))
    return TRUE;
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

gboolean
desk_portal_sign_in (DeskStore    *store,
                     const char   *email,
                     const char   *password,
                     gint64       *client_id,
                     GError      **error)
{
  /* Checked when no credentials match, so that it takes as long. */
  static const char dummy_hash[] =
    "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  g_autofree char *folded = NULL;
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) allowed = g_array_new (FALSE, FALSE, sizeof (gboolean));
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 now, wait, attempt_id, signed_in = 0;
  int rc;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);
  g_return_val_if_fail (email != NULL && password != NULL, FALSE);

  if (!_desk_session_ensure_sodium (error))
    return FALSE;
  db = _desk_store_get_db (store);
  now = desk_store_get_now (store);
  folded = fold_email (email);

  if (!reserve (db, folded, now, &wait, &attempt_id, error))
    return FALSE;
  if (wait > 0)
    {
      g_set_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_TOO_MANY_ATTEMPTS,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Too many failed sign-ins. Wait %d second and try again.",
                                "Too many failed sign-ins. Wait %d seconds and try again.",
                                (int) wait),
                   (int) wait);
      return FALSE;
    }

  /* Every client with these credentials (a family may share an address),
   * and whether the portal lets each in now. */
  stmt = _desk_store_prepare (store,
                              "SELECT p.client_id, p.password_hash,"
                              " c.portal_access = 'enabled' AND c.portal_invitation = 'accepted'"
                              " AND p.invitation_id = (SELECT l.id FROM portal_invitations l"
                              "  WHERE l.client_id = c.id ORDER BY l.sent_at DESC, l.id DESC LIMIT 1)"
                              " FROM portal_credentials p JOIN clients c ON c.id = p.client_id"
                              " WHERE p.email = ? ORDER BY p.client_id LIMIT 8",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, folded, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gboolean ok = sqlite3_column_int (stmt, 2) != 0;

      g_ptr_array_add (hashes, _desk_db_column_dup (stmt, 1));
      g_array_append_val (ids, id);
      g_array_append_val (allowed, ok);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("signing in to the portal"));
      return FALSE;
    }

  for (guint i = 0; i < MAX (hashes->len, 1); i++)
    {
      char stored[crypto_pwhash_STRBYTES];
      gboolean match;

      memset (stored, 0, sizeof stored);
      g_strlcpy (stored, i < hashes->len ? hashes->pdata[i] : dummy_hash, sizeof stored);
      match = crypto_pwhash_str_verify (stored, password, strlen (password)) == 0;
      if (match && i < hashes->len && g_array_index (allowed, gboolean, i) && signed_in == 0)
        signed_in = g_array_index (ids, gint64, i);
    }

  if (!record (db, folded, attempt_id, signed_in, now, signed_in != 0, error))
    return FALSE;
  if (signed_in == 0)
    {
      g_set_error_literal (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_SIGN_IN_REFUSED,
                           _(REFUSED_TEXT));
      return FALSE;
    }
  if (client_id != NULL)
    *client_id = signed_in;
  return TRUE;
}

/* What the client sees */

gboolean
desk_portal_preview (DeskStore          *store,
                     gint64              client_id,
                     DeskPortalPreview  *preview,
                     GError            **error)
{
  g_autoptr(GStrvBuilder) qnaires = g_strv_builder_new ();
  DeskPortalStatus status;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);
  g_return_val_if_fail (preview != NULL, FALSE);

  memset (preview, 0, sizeof *preview);
  if (!desk_portal_get_status (store, client_id, &status, error))
    return FALSE;

  preview->can_sign_in = status.state == DESK_PORTAL_STATE_ACTIVE;
  switch (status.state)
    {
    case DESK_PORTAL_STATE_NOT_INVITED:
      preview->why_not = g_strdup (_("They have never been invited to the portal."));
      break;
    case DESK_PORTAL_STATE_INVITED:
      preview->why_not = g_strdup (_("They have not accepted their invitation yet."));
      break;
    case DESK_PORTAL_STATE_INVITATION_EXPIRED:
      preview->why_not = g_strdup (_("Their invitation expired before they accepted it."));
      break;
    case DESK_PORTAL_STATE_DISABLED:
      preview->why_not = g_strdup (_("Their portal access is turned off."));
      break;
    case DESK_PORTAL_STATE_ACTIVE:
    default:
      break;
    }

  preview->documents = desk_client_list_documents (store, client_id, error);
  if (preview->documents == NULL)
    goto failed;
  preview->appointments = desk_client_list_appointments (store, client_id, 50, error);
  if (preview->appointments == NULL)
    goto failed;

  stmt = _desk_store_prepare (store, "SELECT title FROM qnaire_sends"
                                     " WHERE client_id = ? AND status = 'sent'"
                                     " ORDER BY sent_at, id", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, client_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (qnaires, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, _desk_store_get_db (store), rc, _("reading the client’s Qnaires"));
      goto failed;
    }
  preview->pending_qnaires = g_strv_builder_end (qnaires);
  return TRUE;

failed:
  desk_portal_preview_clear (preview);
  return FALSE;
}

void
desk_portal_preview_clear (DeskPortalPreview *preview)
{
  g_return_if_fail (preview != NULL);

  g_clear_pointer (&preview->why_not, g_free);
  g_clear_object (&preview->documents);
  g_clear_object (&preview->appointments);
  g_clear_pointer (&preview->pending_qnaires, g_strfreev);
  preview->can_sign_in = FALSE;
}
