/* desk-audit-window.c: the audit log, filtered, for members who may view it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rows come from a DeskAuditList, which pages them from SQLite; every
 * query and the export run on worker threads, so a log of millions of
 * entries never holds up a frame.  The filters are read together a moment
 * after typing stops, and only a complete, valid set of them is applied:
 * a half-typed date does not empty the list.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-time.h"
#include "desk-a11y.h"
#include "desk-audit.h"
#include "desk-audit-entry.h"
#include "desk-audit-list.h"
#include "desk-audit-window.h"
#include "desk-client.h"
#include "desk-member.h"
#include "desk-changes.h"
#include "desk-session.h"
#include "desk-spinner.h"
#include "desk-store.h"

/* Typing pauses this long before the filters apply. */
#define FILTER_DELAY_MS 300

struct _DeskAuditWindow
{
  AdwWindow            parent_instance;

  DeskSession         *session;
  DeskAuditList       *list;
  GtkSingleSelection  *selection;
  GCancellable        *cancellable;
  GtkFileChooserNative *chooser;
  GError              *list_error;     /* the list could not be made */
  GFile               *export_file;    /* while exporting */
  guint                filter_source;
  gboolean             exporting;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkSpinner          *spinner;
  GtkWidget           *filter_bar;
  GtkEntry            *member_entry;
  GtkEntry            *client_entry;
  GtkDropDown         *action_dropdown;
  GtkStringList       *actions;
  GtkEntry            *since_entry;
  GtkEntry            *until_entry;
  GtkLabel            *filter_error;
  GtkStack            *content_stack;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *time_column;
  GtkColumnViewColumn *member_column;
  GtkColumnViewColumn *action_column;
  GtkColumnViewColumn *record_column;
  GtkColumnViewColumn *reason_column;
  AdwStatusPage       *error_page;
};

G_DEFINE_FINAL_TYPE (DeskAuditWindow, desk_audit_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_EXPORTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers: what the cells show */

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
}

static char *
format_member (DeskAuditEntry *entry)
{
  const char *name = desk_audit_entry_get_actor_name (entry);

  if (desk_audit_entry_get_actor_id (entry) == 0)
    /* Translators: who did what in the audit log, when no member did */
    return g_strdup (_("System"));
  if (*name != '\0')
    return g_strdup (name);
  {
    g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               desk_audit_entry_get_actor_id (entry));

    /* Translators: a record in the audit log: %s is a member number */
    return g_strdup_printf (_("Member %s"), number);
  }
}

static char *
format_record (DeskAuditEntry *entry)
{
  const char *kind = desk_audit_entry_get_target_kind (entry);
  const char *name = desk_audit_entry_get_target_name (entry);
  gint64 id = desk_audit_entry_get_target_id (entry);
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  if (g_str_equal (kind, "clinic"))
    return g_strdup (*name != '\0' ? name : _("The clinic"));
  if (id == 0)
    return g_strdup (kind);
  if (g_str_equal (kind, "client"))
    return *name != '\0'
      /* Translators: a record in the audit log: a client's name, then their number */
      ? g_strdup_printf (_("%s (client %s)"), name, number)
      /* Translators: a record in the audit log: %s is a client number */
      : g_strdup_printf (_("Client %s"), number);
  if (g_str_equal (kind, "member"))
    return *name != '\0'
      /* Translators: a record in the audit log: a member's name, then their number */
      ? g_strdup_printf (_("%s (member %s)"), name, number)
      /* Translators: a record in the audit log: %s is a member number */
      : g_strdup_printf (_("Member %s"), number);
  return g_strdup_printf ("%s %s", kind, number);
}

/* One line: a reason typed with line breaks stays in its row. */
static char *
format_reason (DeskAuditEntry *entry)
{
  char *reason = g_strdup (desk_audit_entry_get_reason (entry));

  return g_strdelimit (reason, "\r\n\t", ' ');
}

typedef char *(*FormatFunc) (DeskAuditEntry *entry);

static char *
format_time_cell (DeskAuditEntry *entry)
{
  return format_time (desk_audit_entry_get_time (entry));
}

static char *
format_action_cell (DeskAuditEntry *entry)
{
  const char *action = desk_audit_entry_get_action (entry);
  const char *label = desk_audit_action_label (action);

  return g_strdup (label != NULL ? label : action);
}

/* The drop-down keeps action codes (what the filter needs) and shows their
 * labels; "All Actions" and codes without one show as they are. */
static char *
action_choice_label (GObject    *item,
                     const char *action,
                     gpointer    user_data)
{
  const char *label = desk_audit_action_label (action);

  return g_strdup (label != NULL ? label : action);
}

/* A long reason or name, whole, on hover: asked for when the pointer
 * rests on a cell, rather than set on every cell at every bind (which
 * also rewrites each cell's accessible description). */
static gboolean
on_cell_query_tooltip (GtkWidget  *label,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  const char *text = gtk_label_get_label (GTK_LABEL (label));

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* A cell is one label, filled once when bound: entries do not change. */
static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (user_data == format_time_cell)
    gtk_widget_add_css_class (label, "numeric");
  else
    {
      gtk_widget_set_has_tooltip (label, TRUE);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (on_cell_query_tooltip), NULL);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  FormatFunc format = user_data;
  DeskAuditEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = entry != NULL ? format (entry) : g_strdup ("");

  /* The same text laid out again costs as much as new text. */
  if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), text) != 0)
    gtk_label_set_label (GTK_LABEL (label), text);
}

static void
set_factory (GtkColumnViewColumn *column,
             FormatFunc           format)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), format);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), format);
  gtk_column_view_column_set_factory (column, factory);
}

/* Helpers: state */

static void
update_actions (DeskAuditWindow *self)
{
  gboolean usable = self->list != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.export", usable && !self->exporting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.clear-filters", usable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.focus-filters", usable);
  gtk_widget_set_sensitive (self->filter_bar, usable);
}

static void
update_state (DeskAuditWindow *self)
{
  const GError *error = self->list_error;
  gboolean loading = FALSE;
  guint n_items = 0;

  if (self->list != NULL)
    {
      loading = desk_audit_list_get_loading (self->list);
      n_items = g_list_model_get_n_items (G_LIST_MODEL (self->list));
      error = desk_audit_list_get_error (self->list);
    }

  desk_spinner_set_busy (self->spinner, loading);

  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->content_stack, "error");
      adw_window_title_set_subtitle (self->window_title, "");
      return;
    }

  if (n_items > 0 || loading)
    gtk_stack_set_visible_child_name (self->content_stack, "list");
  else
    gtk_stack_set_visible_child_name (self->content_stack, "empty");

  if (!loading)
    {
      g_autofree char *count = g_strdup_printf ("%'u", n_items);
      g_autofree char *subtitle =
        /* Translators: %s is a number of entries of the audit log */
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s entry", "%s entries", n_items), count);

      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
}

static void
mark_invalid (GtkEntry *entry,
              gboolean  invalid)
{
  if (invalid)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (entry),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static char *
entry_text (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

/* Reads every filter control into @filter; on a bad value, says which. */
static gboolean
read_filters (DeskAuditWindow  *self,
              DeskAuditFilter  *filter,
              GtkEntry        **bad_entry,
              char            **message)
{
  DeskStore *store = desk_session_get_store (self->session);
  g_autofree char *member = entry_text (self->member_entry);
  g_autofree char *client = entry_text (self->client_entry);
  g_autofree char *since = entry_text (self->since_entry);
  g_autofree char *until = entry_text (self->until_entry);
  guint selected = gtk_drop_down_get_selected (self->action_dropdown);
  guint64 number = 0;

  /* One indexed row each: quick enough for the main thread. */
  if (*member != '\0')
    {
      g_autoptr(DeskMember) found = desk_member_load_by_username (store, member, NULL);

      if (found == NULL && g_ascii_string_to_unsigned (member, 10, 1, G_MAXINT64, &number, NULL))
        found = desk_member_load (store, (gint64) number, NULL);
      if (found == NULL)
        {
          *bad_entry = self->member_entry;
          /* Translators: %s is what was typed in the Member filter */
          *message = g_strdup_printf (_("There is no member “%s”. Type a username or a member "
                                        "number."), member);
          return FALSE;
        }
      filter->actor_id = desk_member_get_id (found);
    }

  if (*client != '\0')
    {
      g_autoptr(DeskClient) found = NULL;

      if (g_ascii_string_to_unsigned (client, 10, 1, G_MAXINT64, &number, NULL))
        found = desk_client_load (store, (gint64) number, NULL);
      if (found == NULL)
        {
          *bad_entry = self->client_entry;
          /* Translators: %s is what was typed in the Client number filter */
          *message = g_strdup_printf (_("There is no client with number “%s”."), client);
          return FALSE;
        }
      filter->client_id = (gint64) number;
    }

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
    {
      const char *action = gtk_string_list_get_string (self->actions, selected);

      /* Every action written so far can be filtered on; be safe anyway. */
      if (desk_audit_action_is_valid (action))
        desk_audit_filter_set_action (filter, action);
    }

  if (*since != '\0' && !desk_time_parse_day (since, &filter->since, NULL))
    {
      *bad_entry = self->since_entry;
      *message = g_strdup (_("Type the From date as YYYY-MM-DD, for example 2026-03-31."));
      return FALSE;
    }
  if (*until != '\0' && !desk_time_parse_day (until, NULL, &filter->until))
    {
      *bad_entry = self->until_entry;
      *message = g_strdup (_("Type the To date as YYYY-MM-DD, for example 2026-03-31."));
      return FALSE;
    }
  if (filter->since != 0 && filter->until != 0 && filter->since >= filter->until)
    {
      *bad_entry = self->until_entry;
      *message = g_strdup (_("The To date is before the From date."));
      return FALSE;
    }

  return TRUE;
}

static void
apply_filters (DeskAuditWindow *self)
{
  g_autoptr(DeskAuditFilter) filter = desk_audit_filter_new ();
  g_autofree char *message = NULL;
  GtkEntry *bad_entry = NULL;
  GtkEntry *entries[] = {
    self->member_entry, self->client_entry, self->since_entry, self->until_entry,
  };

  g_clear_handle_id (&self->filter_source, g_source_remove);
  if (self->list == NULL)
    return;

  if (!read_filters (self, filter, &bad_entry, &message))
    {
      /* The list keeps the last valid filters. */
      for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
        mark_invalid (entries[i], entries[i] == bad_entry);
      gtk_label_set_label (self->filter_error, message);
      gtk_widget_set_visible (GTK_WIDGET (self->filter_error), TRUE);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    mark_invalid (entries[i], FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->filter_error), FALSE);
  desk_audit_list_set_filter (self->list, filter);
}

static gboolean
apply_filters_cb (gpointer data)
{
  DeskAuditWindow *self = data;

  self->filter_source = 0;
  apply_filters (self);
  return G_SOURCE_REMOVE;
}

static void
toast (DeskAuditWindow *self,
       const char      *text,
       gboolean         error)
{
  g_autofree char *markup = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (markup);

  /* An error stays until it is dismissed. */
  if (error)
    adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Fills the action drop-down, keeping the chosen action. */
static void
set_action_choices (DeskAuditWindow    *self,
                    const char * const *actions)
{
  g_autofree char *chosen = NULL;
  guint selected = gtk_drop_down_get_selected (self->action_dropdown);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->actions));
  guint new_selected = 0;

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
    chosen = g_strdup (gtk_string_list_get_string (self->actions, selected));

  g_signal_handlers_block_matched (self->action_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                   self);
  gtk_string_list_splice (self->actions, 1, n - 1, actions);
  for (guint i = 0; actions[i] != NULL; i++)
    if (g_strcmp0 (actions[i], chosen) == 0)
      new_selected = i + 1;
  gtk_drop_down_set_selected (self->action_dropdown, new_selected);
  g_signal_handlers_unblock_matched (self->action_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     self);
}

static void
on_actions_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DeskAuditWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) actions = NULL;

  actions = desk_audit_get_actions_finish (DESK_SESSION (source), result, &error);
  if (actions == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message, TRUE);
      return;
    }

  set_action_choices (self, (const char * const *) actions);
}

static void
load_actions (DeskAuditWindow *self)
{
  desk_audit_get_actions_async (self->session, self->cancellable, on_actions_loaded,
                                g_object_ref (self));
}

static void
set_exporting (DeskAuditWindow *self,
               gboolean         exporting)
{
  if (self->exporting == exporting)
    return;
  self->exporting = exporting;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPORTING]);
}

/* Callbacks */

static void
on_list_changed (DeskAuditWindow *self)
{
  update_state (self);
}

static void
on_filter_changed (DeskAuditWindow *self)
{
  g_clear_handle_id (&self->filter_source, g_source_remove);
  self->filter_source = g_timeout_add (FILTER_DELAY_MS, apply_filters_cb, self);
}

static void
on_filter_activate (DeskAuditWindow *self)
{
  apply_filters (self);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DeskAuditWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_steal_pointer (&self->export_file);

  set_exporting (self, FALSE);

  if (!desk_audit_export_file_finish (DESK_SESSION (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message, TRUE);
      return;
    }

  {
    g_autofree char *name = g_file_get_parse_name (file);
    /* Translators: %s is the file the audit log was saved to */
    g_autofree char *text = g_strdup_printf (_("Audit log exported to “%s”"), name);

    toast (self, text, FALSE);
  }

  /* The export is in the log now. */
  if (self->list != NULL)
    desk_audit_list_reload (self->list);
  load_actions (self);
}

static void
on_chooser_response (DeskAuditWindow *self,
                     int              response,
                     GtkNativeDialog *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);

  if (file != NULL)
    desk_audit_window_export_to_file (self, file);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DeskAuditWindow *self = DESK_AUDIT_WINDOW (widget);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  /* Translators: the suggested name of an exported audit log; %s is today's date */
  g_autofree char *name = g_strdup_printf (_("audit-log-%s.csv"), date);

  if (self->chooser != NULL || self->exporting || self->list == NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Export Audit Log"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), csv);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DeskAuditWindow *self = DESK_AUDIT_WINDOW (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->member_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->client_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->since_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->until_entry), "");
  gtk_drop_down_set_selected (self->action_dropdown, 0);
  apply_filters (self);
}

static void
focus_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DeskAuditWindow *self = DESK_AUDIT_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->member_entry));
}

/* Refreshing after a change */

/* Every change appends an entry (another program's too): the list's query
 * runs again on its worker, filters kept. */
static void
on_store_changed (DeskAuditWindow *self,
                  DeskChanges     *changes)
{
  if (self->list != NULL && (desk_changes_get_kinds (changes) & DESK_RECORD_AUDIT) != 0)
    desk_audit_list_reload (self->list);
}

static void
watch_store_changes (DeskAuditWindow *self)
{
  g_signal_connect_object (desk_session_get_store (self->session), "changed",
                           G_CALLBACK (on_store_changed), self, G_CONNECT_SWAPPED);
}

/* Overrides */

static void
desk_audit_window_constructed (GObject *object)
{
  DeskAuditWindow *self = (DeskAuditWindow *) object;

  G_OBJECT_CLASS (desk_audit_window_parent_class)->constructed (object);

  g_assert (DESK_IS_SESSION (self->session));

  /* Refused here for a member without the permission: the window says so. */
  self->list = desk_audit_list_new (self->session, &self->list_error);
  if (self->list != NULL)
    {
      g_signal_connect_object (self->list, "notify::n-items",
                               G_CALLBACK (on_list_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->list, "notify::loading",
                               G_CALLBACK (on_list_changed), self, G_CONNECT_SWAPPED);
      /* A column view builds a row of five cells for each of about 200
       * entries: all at once, that held the main thread 70 to 100 ms.  The
       * first result is shown a screenful a frame. */
      desk_paged_list_set_pacing (DESK_PAGED_LIST (self->list), 16, 256, 16);
      self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
      gtk_single_selection_set_autoselect (self->selection, FALSE);
      gtk_single_selection_set_can_unselect (self->selection, TRUE);
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
      desk_audit_list_reload (self->list);
      load_actions (self);
      watch_store_changes (self);
    }

  update_actions (self);
  update_state (self);
}

static void
desk_audit_window_dispose (GObject *object)
{
  DeskAuditWindow *self = (DeskAuditWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->filter_source, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);

  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_AUDIT_WINDOW);

  G_OBJECT_CLASS (desk_audit_window_parent_class)->dispose (object);
}

static void
desk_audit_window_finalize (GObject *object)
{
  DeskAuditWindow *self = (DeskAuditWindow *) object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->export_file);
  g_clear_object (&self->session);
  g_clear_error (&self->list_error);

  G_OBJECT_CLASS (desk_audit_window_parent_class)->finalize (object);
}

static void
desk_audit_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DeskAuditWindow *self = DESK_AUDIT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_EXPORTING:
      g_value_set_boolean (value, self->exporting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_audit_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DeskAuditWindow *self = DESK_AUDIT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_audit_window_class_init (DeskAuditWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = desk_audit_window_constructed;
  object_class->dispose = desk_audit_window_dispose;
  object_class->finalize = desk_audit_window_finalize;
  object_class->get_property = desk_audit_window_get_property;
  object_class->set_property = desk_audit_window_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, DESK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPORTING] =
    g_param_spec_boolean ("exporting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "audit.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "audit.clear-filters", NULL,
                                   clear_filters_action);
  gtk_widget_class_install_action (widget_class, "audit.focus-filters", NULL,
                                   focus_filters_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/desk-audit-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, member_entry);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, client_entry);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, action_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, actions);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, since_entry);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, until_entry);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, filter_error);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, time_column);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, member_column);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, action_column);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, record_column);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, reason_column);
  gtk_widget_class_bind_template_child (widget_class, DeskAuditWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_activate);
}

static void
desk_audit_window_init (DeskAuditWindow *self)
{
  const char *all[] = { NULL, NULL };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  /* Translators: the first choice of the Action filter */
  all[0] = _("All actions");
  gtk_string_list_splice (self->actions, 0, 0, all);
  {
    GtkExpression *code = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

    gtk_drop_down_set_expression (self->action_dropdown,
                                  gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, &code,
                                                               G_CALLBACK (action_choice_label),
                                                               NULL, NULL));
  }
  desk_a11y_name_drop_down (self->action_dropdown, _("Action"));
  desk_a11y_hide_inactive_pages (GTK_WIDGET (self->content_stack));

  set_factory (self->time_column, format_time_cell);
  set_factory (self->member_column, format_member);
  set_factory (self->action_column, format_action_cell);
  set_factory (self->record_column, format_record);
  set_factory (self->reason_column, format_reason);
}

/* Public API */

DeskAuditWindow *
desk_audit_window_new (GtkWindow   *parent,
                       DeskSession *session)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DESK_IS_SESSION (session), NULL);

  return g_object_new (DESK_TYPE_AUDIT_WINDOW,
                       "session", session,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
}

DeskSession *
desk_audit_window_get_session (DeskAuditWindow *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_WINDOW (self), NULL);
  return self->session;
}

void
desk_audit_window_export_to_file (DeskAuditWindow *self,
                                  GFile           *file)
{
  g_return_if_fail (DESK_IS_AUDIT_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->exporting)
    return;
  if (self->list == NULL)
    {
      toast (self, self->list_error->message, TRUE);
      return;
    }

  /* What is on screen: the typed filters may be newer than the list's. */
  apply_filters (self);

  g_set_object (&self->export_file, file);
  set_exporting (self, TRUE);
  desk_audit_export_file_async (self->session, DESK_AUDIT_FORMAT_CSV,
                                desk_audit_list_get_filter (self->list), file,
                                self->cancellable, on_export_done, g_object_ref (self));
}

gboolean
desk_audit_window_get_exporting (DeskAuditWindow *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_WINDOW (self), FALSE);
  return self->exporting;
}
