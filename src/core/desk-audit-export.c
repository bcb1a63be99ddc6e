/* desk-audit-export.c: the audit log, exported by a member allowed to read it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading the log is itself recorded, through the change path: the
 * export's entry (who, which filter, which format) is committed before the
 * first entry is written out, so an export that stops halfway is still on
 * record.  CSV fields that a spreadsheet would run as formulas are
 * neutralised.
 *
 * An entry's details are a JSON object in the file.  CSV carries that text
 * as a field; JSON carries the object itself ("details": {"seed": 2026}),
 * not a string to parse a second time.  The text is embedded only once
 * SQLite has found it to be a JSON object and written it out again in its
 * plain form: a file changed with sqlite3 could otherwise put anything into
 * the export's own structure.  An entry whose details are no JSON object
 * (only a tampered file has one) gets "details": null and its text as
 * "details_text", so that nothing of the record is lost.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "desk-audit-private.h"
#include "desk-change-private.h"
#include "desk-json.h"
#include "desk-member.h"
#include "desk-session.h"
#include "desk-store-private.h"
#include "desk-time.h"

/* An entry as exported: its actor as the entry names them (schema 6), or
 * for older entries as the member is named now. */
typedef struct
{
  gint64      id;
  gint64      at;
  const char *actor;        /* username, or "" for the system */
  const char *action;
  const char *target_kind;
  gint64      target_id;    /* 0: none */
  const char *reason;
  const char *details;
  const char *prev_hash;
  const char *hash;
  const char *details_object;  /* the details, minified, if a JSON object; or NULL */
} ExportRow;

/* The last column: the nested CASE asks json_type () only of valid JSON,
 * which it would otherwise refuse with an error. */
#define EXPORT_COLUMNS \
  "a.id, a.at, coalesce (a.actor_username, m.username, ''), a.action, a.target_kind," \
  " coalesce (a.target_id, 0), a.reason, a.details, a.prev_hash, a.hash," \
  " CASE WHEN json_valid (a.details) THEN" \
  "   CASE WHEN json_type (a.details) = 'object' THEN json (a.details) END" \
  " END"
#define EXPORT_FROM \
  " FROM audit_log a LEFT JOIN members m ON m.id = a.actor_member_id"

/* Helpers */

static void
read_row (sqlite3_stmt *stmt,
          ExportRow    *row)
{
  row->id = sqlite3_column_int64 (stmt, 0);
  row->at = sqlite3_column_int64 (stmt, 1);
  row->actor = (const char *) sqlite3_column_text (stmt, 2);
  row->action = (const char *) sqlite3_column_text (stmt, 3);
  row->target_kind = (const char *) sqlite3_column_text (stmt, 4);
  row->target_id = sqlite3_column_int64 (stmt, 5);
  row->reason = (const char *) sqlite3_column_text (stmt, 6);
  row->details = (const char *) sqlite3_column_text (stmt, 7);
  row->prev_hash = (const char *) sqlite3_column_text (stmt, 8);
  row->hash = (const char *) sqlite3_column_text (stmt, 9);
  row->details_object = (const char *) sqlite3_column_text (stmt, 10);
}

/* A CSV field: quoted when it needs to be, and a formula-like start
 * neutralised so that a spreadsheet never runs it. */
static void
append_csv_field (GString    *out,
                  const char *value)
{
  gboolean formula, quote;

  if (value == NULL)
    value = "";
  formula = value[0] != '\0' && strchr ("=+-@\t", value[0]) != NULL;
  quote = formula || strpbrk (value, ",\"\r\n") != NULL;

  if (!quote)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_csv_entry (GString     *out,
                  const ExportRow *e)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, e->id);
  g_autofree char *at = desk_time_format_iso8601 (e->at);
  g_autofree char *target_id = e->target_id > 0
                                 ? g_strdup_printf ("%" G_GINT64_FORMAT, e->target_id)
                                 : g_strdup ("");
  const char *fields[] = {
    id, at, e->actor, e->action, e->target_kind, target_id, e->reason, e->details, e->hash,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_csv_field (out, fields[i]);
    }
  g_string_append (out, "\r\n");
}

static void
append_json_entry (GString     *out,
                   const ExportRow *e)
{
  desk_json_begin_object (out);
  desk_json_key (out, "id");
  desk_json_int (out, e->id);
  desk_json_key (out, "at");
  desk_json_time (out, e->at);
  desk_json_key (out, "actor");
  if (e->actor != NULL && *e->actor != '\0')
    desk_json_string (out, e->actor);
  else
    desk_json_null (out);
  desk_json_key (out, "action");
  desk_json_string (out, e->action);
  desk_json_key (out, "target_kind");
  desk_json_string (out, e->target_kind);
  desk_json_key (out, "target_id");
  if (e->target_id > 0)
    desk_json_int (out, e->target_id);
  else
    desk_json_null (out);
  desk_json_key (out, "reason");
  desk_json_string (out, e->reason);
  desk_json_key (out, "details");
  /* Text that is not UTF-8 would make the whole export invalid JSON: such
   * details go out as text, which desk_json_string () makes valid. */
  if (e->details_object != NULL && g_utf8_validate (e->details_object, -1, NULL))
    g_string_append (out, e->details_object);
  else
    {
      desk_json_null (out);
      desk_json_key (out, "details_text");
      desk_json_string (out, e->details);
    }
  desk_json_key (out, "prev_hash");
  desk_json_string (out, e->prev_hash);
  desk_json_key (out, "hash");
  desk_json_string (out, e->hash);
  desk_json_end_object (out);
}

static gboolean
flush (GOutputStream  *out,
       GString        *buffer,
       GCancellable   *cancellable,
       GError        **error)
{
  gboolean ok = g_output_stream_write_all (out, buffer->str, buffer->len, NULL, cancellable,
                                           error);

  g_string_truncate (buffer, 0);
  return ok;
}

/* What the export's own entry says: who read the log, what of it, and
 * when, is in the log. */
static char *
export_details (DeskAuditFormat        format,
                const DeskAuditFilter *filter)
{
  GString *details = g_string_new (NULL);

  desk_json_begin_object (details);
  desk_json_key (details, "format");
  desk_json_string (details, format == DESK_AUDIT_FORMAT_CSV ? "csv" : "json");
  if (!desk_audit_filter_is_empty (filter))
    {
      desk_json_key (details, "filter");
      desk_json_begin_object (details);
      if (filter->actor_id > 0)
        {
          desk_json_key (details, "member_id");
          desk_json_int (details, filter->actor_id);
        }
      if (filter->client_id > 0)
        {
          desk_json_key (details, "client_id");
          desk_json_int (details, filter->client_id);
        }
      if (filter->action != NULL)
        {
          desk_json_key (details, "action");
          desk_json_string (details, filter->action);
        }
      if (filter->since != 0)
        {
          desk_json_key (details, "since");
          desk_json_time (details, filter->since);
        }
      if (filter->until != 0)
        {
          desk_json_key (details, "until");
          desk_json_time (details, filter->until);
        }
      desk_json_end_object (details);
    }
  desk_json_end_object (details);
  return g_string_free (details, FALSE);
}

static gboolean
record_export (DeskChange  *change,
               gpointer     user_data,
               GError     **error)
{
  return desk_change_audit (change, "audit.export", DESK_RECORD_CLINIC, 1, NULL, user_data,
                            error);
}

/* Streams the entries that match @filter, oldest first, from @db (the
 * store's connection, or a worker's own), once the export is recorded. */
static gboolean
stream_entries (sqlite3                *db,
                DeskAuditFormat         format,
                const DeskAuditFilter  *filter,
                GOutputStream          *out,
                GCancellable           *cancellable,
                GError                **error)
{
  g_autoptr(GString) buffer = g_string_sized_new (65536);
  g_autoptr(GString) sql = g_string_new ("SELECT " EXPORT_COLUMNS EXPORT_FROM);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (format == DESK_AUDIT_FORMAT_CSV)
    g_string_append (buffer, "id,at,actor,action,target_kind,target_id,reason,details,hash\r\n");
  else
    desk_json_begin_array (buffer);

  _desk_audit_filter_append_where (filter, FALSE, sql);
  g_string_append (sql, " ORDER BY a.id");

  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    _desk_audit_filter_bind (filter, NULL, stmt);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ExportRow e;

      rc = SQLITE_OK;
      read_row (stmt, &e);
      if (format == DESK_AUDIT_FORMAT_CSV)
        append_csv_entry (buffer, &e);
      else
        append_json_entry (buffer, &e);

      if (buffer->len > 60000 && !flush (out, buffer, cancellable, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("reading the audit log"));
      return FALSE;
    }

  if (format == DESK_AUDIT_FORMAT_JSON)
    {
      desk_json_end_array (buffer);
      g_string_append_c (buffer, '\n');
    }
  return flush (out, buffer, cancellable, error);
}

/* Public API */

gboolean
desk_audit_export (DeskSession      *session,
                   DeskAuditFormat   format,
                   GOutputStream    *out,
                   GCancellable     *cancellable,
                   GError          **error)
{
  return desk_audit_export_filtered (session, format, NULL, out, cancellable, error);
}

gboolean
desk_audit_export_filtered (DeskSession            *session,
                            DeskAuditFormat         format,
                            const DeskAuditFilter  *filter,
                            GOutputStream          *out,
                            GCancellable           *cancellable,
                            GError                **error)
{
  g_autofree char *details = NULL;
  DeskStore *store;

  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (filter == NULL || filter->action == NULL ||
                        desk_audit_action_is_valid (filter->action), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  details = export_details (format, filter);
  if (!desk_change_run (session, DESK_PERMISSION_VIEW_AUDIT, DESK_CHANGE_DEFAULT, record_export,
                        details, error))
    return FALSE;

  store = desk_session_get_store (session);
  return stream_entries (_desk_store_get_db (store), format, filter, out, cancellable, error);
}

typedef struct
{
  char            *path;
  gint64           now;
  gint64           actor_id;
  DeskAuditFormat  format;
  DeskAuditFilter *filter;
  GFile           *file;
  DeskChanges     *changes;  /* the export's entry, to announce on the main thread */
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *export = data;

  g_free (export->path);
  desk_audit_filter_free (export->filter);
  g_clear_object (&export->file);
  g_clear_pointer (&export->changes, desk_changes_unref);
  g_free (export);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *export = task_data;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autofree char *details = NULL;
  GError *error = NULL;
  sqlite3 *db = NULL;
  gboolean existed;

  /* The file first: a file that cannot be written is no export. */
  existed = g_file_query_exists (export->file, cancellable);
  out = g_file_replace (export->file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, &error);
  if (out == NULL)
    goto failed;

  db = _desk_db_open (export->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                                    &error);
  if (db == NULL)
    goto failed;

  details = export_details (export->format, export->filter);
  if (!_desk_change_run_on (db, export->now, export->actor_id, DESK_PERMISSION_VIEW_AUDIT,
                            cancellable, record_export, details, &export->changes, &error) ||
      !stream_entries (db, export->format, export->filter, G_OUTPUT_STREAM (out), cancellable,
                       &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error))
    goto failed;

  sqlite3_close (db);
  g_task_return_boolean (task, TRUE);
  return;

failed:
  /* An unfinished export leaves no half-written file: closing a replacing
   * stream after a cancel keeps the file that was there, and a new file
   * is removed. */
  if (out != NULL && !g_output_stream_is_closed (G_OUTPUT_STREAM (out)))
    {
      g_autoptr(GCancellable) cancelled = g_cancellable_new ();

      g_cancellable_cancel (cancelled);
      g_output_stream_close (G_OUTPUT_STREAM (out), cancelled, NULL);
    }
  if (out != NULL && !existed)
    g_file_delete (export->file, NULL, NULL);
  sqlite3_close (db);
  g_task_return_error (task, error);
}

void
desk_audit_export_file_async (DeskSession            *session,
                              DeskAuditFormat         format,
                              const DeskAuditFilter  *filter,
                              GFile                  *file,
                              GCancellable           *cancellable,
                              GAsyncReadyCallback     callback,
                              gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ExportData *export;
  DeskStore *store;

  g_return_if_fail (DESK_IS_SESSION (session));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (filter == NULL || filter->action == NULL ||
                    desk_audit_action_is_valid (filter->action));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_audit_export_file_async);

  if (!desk_session_require (session, DESK_PERMISSION_VIEW_AUDIT, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  store = desk_session_get_store (session);
  export = g_new0 (ExportData, 1);
  export->path = g_strdup (desk_store_get_path (store));
  export->now = desk_store_get_now (store);
  export->actor_id = desk_member_get_id (desk_session_get_member (session));
  export->format = format;
  export->filter = filter != NULL ? desk_audit_filter_copy (filter) : NULL;
  export->file = g_object_ref (file);
  g_task_set_task_data (task, export, export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
desk_audit_export_file_finish (DeskSession   *session,
                               GAsyncResult  *result,
                               GError       **error)
{
  ExportData *export;

  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);

  export = g_task_get_task_data (G_TASK (result));
  /* Even a failed export may have recorded itself before the file failed. */
  if (export != NULL && export->changes != NULL)
    _desk_store_emit_changed (desk_session_get_store (session), export->changes);
  return g_task_propagate_boolean (G_TASK (result), error);
}
