/* test-inbox.c: the inbox view and the roles and groups window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo administrator's inbox gets messages from a deactivated member,
 * a snoozed one, one a deactivation moved and one addressed to a
 * deactivated colleague; the rows say so, each with an accessible name, and
 * a message another program delivers shows up.  The roles window hides
 * deactivated members.  With DESK_TEST_SCREENSHOTS set to a folder, the
 * views are saved there as PNG files.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-inbox-row.h"
#include "desk-inbox-view.h"
#include "desk-members-view.h"
#include "desk-roles-view.h"
#include "desk-session.h"
#include "desk-test-util.h"
#include "desk-test-window.h"

#define DAY 86400

static gboolean have_display;

typedef struct
{
  DeskTestDir   *dir;
  char          *path;
  DeskStore     *store;
  DeskWindow    *window;
  DeskInboxView *view;
  char          *departed;       /* a deactivated member's name */
} Fixture;

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (DESK_IS_INBOX_ROW (widget))
    {
      if (gtk_widget_get_mapped (widget))
        g_ptr_array_add (rows, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

/* The mapped row whose item has @subject, or NULL. */
static DeskInboxRow *
find_row (DeskInboxView *view,
          const char    *subject)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (view), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      DeskInboxItem *item = desk_inbox_row_get_item (g_ptr_array_index (rows, i));

      if (item != NULL && g_strcmp0 (desk_inbox_item_get_subject (item), subject) == 0)
        return g_ptr_array_index (rows, i);
    }
  return NULL;
}

typedef struct
{
  DeskInboxView *view;
  const char    *subject;
} RowShown;

static gboolean
row_shown (gpointer data)
{
  RowShown *shown = data;

  return find_row (shown->view, shown->subject) != NULL;
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *folder = g_getenv ("DESK_TEST_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  int width, height;

  if (folder == NULL)
    return;
  /* A few frames, so that what was queued is drawn. */
  while (g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  while (node == NULL)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        g_main_context_iteration (NULL, TRUE);
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (folder, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static gint64
insert_item (DeskStore  *store,
             gint64      to,
             const char *values)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO inbox_items (message_id, member_id,"
                                          " received_at, is_read, snoozed_until,"
                                          " forwarded_from_member_id, forwarded_at,"
                                          " deactivation_id, addressed_to_member_id)"
                                          " VALUES (last_insert_rowid (), %" G_GINT64_FORMAT
                                          ", %s)", to, values);

  desk_test_exec (store, sql);
  return sqlite3_last_insert_rowid (_desk_store_get_db (store));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  gint64 me, departed, colleague, client, change;
  g_autofree char *sql = NULL;
  g_autofree char *values = NULL;
  RowShown shown;

  if (!have_display)
    return;

  f->dir = desk_test_dir_new ();
  f->path = g_build_filename (f->dir, "clinic.db", NULL);
  f->store = desk_test_demo_store (f->path, 20, 8);
  me = desk_test_count (f->store, "SELECT id FROM members WHERE username = 'admin'");
  departed = desk_test_count (f->store, "SELECT min (id) FROM members WHERE status = 'deactivated'");
  colleague = desk_test_count (f->store, "SELECT max (id) FROM members WHERE status = 'active'");
  client = desk_test_count (f->store, "SELECT min (id) FROM clients");
  change = desk_test_count (f->store, "SELECT id FROM member_status_changes"
                                      " WHERE member_id = %" G_GINT64_FORMAT, departed);
  {
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (_desk_store_get_db (f->store), "SELECT given_name || ' ' || family_name"
                        " FROM members WHERE id = ?", -1, &stmt, NULL);
    sqlite3_bind_int64 (stmt, 1, departed);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    f->departed = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }

  /* From the deactivated member. */
  sql = g_strdup_printf ("INSERT INTO messages (sender_member_id, client_id, subject, body, sent_at)"
                         " VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'Lab results ready',"
                         " '', %" G_GINT64_FORMAT ")", departed, client, DESK_TEST_NOW - 3600);
  desk_test_exec (f->store, sql);
  values = g_strdup_printf ("%" G_GINT64_FORMAT ", 0, NULL, NULL, NULL, NULL, NULL",
                            DESK_TEST_NOW - 3600);
  insert_item (f->store, me, values);
  /* Snoozed for three days. */
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO messages (sender_member_id, subject, body, sent_at)"
                         " VALUES (%" G_GINT64_FORMAT ", 'Call back the pharmacy', '', %"
                         G_GINT64_FORMAT ")", colleague, DESK_TEST_NOW - 7200);
  desk_test_exec (f->store, sql);
  g_free (values);
  values = g_strdup_printf ("%" G_GINT64_FORMAT ", 1, %" G_GINT64_FORMAT ", NULL, NULL, NULL, NULL",
                            DESK_TEST_NOW - 7200, DESK_TEST_NOW + 3 * DAY);
  insert_item (f->store, me, values);
  /* Moved to the administrator by the member's deactivation. */
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO messages (sender_client_id, client_id, subject, body, sent_at)"
                         " VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'Referral letter',"
                         " '', %" G_GINT64_FORMAT ")", client, client, DESK_TEST_NOW - 10 * DAY);
  desk_test_exec (f->store, sql);
  g_free (values);
  values = g_strdup_printf ("%" G_GINT64_FORMAT ", 1, NULL, %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                            ", %" G_GINT64_FORMAT ", NULL",
                            DESK_TEST_NOW - 10 * DAY, departed, DESK_TEST_NOW - 5 * DAY, change);
  insert_item (f->store, me, values);
  /* Addressed to the deactivated member, delivered to the administrator. */
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO messages (sender_client_id, client_id, subject, body, sent_at)"
                         " VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'Prescription renewal',"
                         " '', %" G_GINT64_FORMAT ")", client, client, DESK_TEST_NOW - 2 * DAY);
  desk_test_exec (f->store, sql);
  g_free (values);
  values = g_strdup_printf ("%" G_GINT64_FORMAT ", 0, NULL, NULL, NULL, NULL, %" G_GINT64_FORMAT,
                            DESK_TEST_NOW - 2 * DAY, departed);
  insert_item (f->store, me, values);

  f->window = desk_test_new_window_sized (1000, 700);
  desk_window_set_store (f->window, f->store);
  desk_test_sign_in (f->window);
  f->view = DESK_INBOX_VIEW (find_widget (GTK_WIDGET (f->window), DESK_TYPE_INBOX_VIEW));
  g_assert_nonnull (f->view);
  /* The window's session, bound. */
  g_assert_true (desk_inbox_view_get_session (f->view) == desk_window_get_session (f->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "inbox.show", NULL));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->view)));

  shown = (RowShown) { f->view, "Prescription renewal" };
  wait_until (row_shown, &shown, "the inbox");
}

static gboolean
store_gone (gpointer data)
{
  Fixture *f = data;

  return f->store == NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_display)
    return;
  desk_test_destroy_window (f->window);
  /* A sign-out's keyring call holds the session (and its store) until it
   * answers: the store goes then, or the test times out. */
  g_object_add_weak_pointer (G_OBJECT (f->store), (gpointer *) &f->store);
  g_object_unref (f->store);
  wait_until (store_gone, f, "the clinic to be let go");
  g_free (f->departed);
  g_free (f->path);
  desk_test_dir_free (f->dir);
}

static void
assert_accessible_name (DeskInboxRow *row,
                        const char   *part)
{
  const char *name = desk_inbox_row_get_accessible_name (row);
  g_autofree char *mismatch = NULL;

  g_assert_nonnull (name);
  g_assert_nonnull (strstr (name, part));
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row),
                                                 GTK_ACCESSIBLE_PROPERTY_LABEL, name);
  g_assert_null (mismatch);
}

/* Each kind of message says what it is, on screen and to a screen reader. */
static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  DeskInboxRow *from_departed, *snoozed, *moved, *addressed;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  GtkWidget *label;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  from_departed = find_row (f->view, "Lab results ready");
  snoozed = find_row (f->view, "Call back the pharmacy");
  moved = find_row (f->view, "Referral letter");
  addressed = find_row (f->view, "Prescription renewal");
  g_assert_nonnull (from_departed);
  g_assert_nonnull (snoozed);
  g_assert_nonnull (moved);
  g_assert_nonnull (addressed);
  g_assert_cmpstr (desk_inbox_view_get_content_page (f->view), ==, "list");

  /* "User deactivated" beside the sender's name, on that row only. */
  label = desk_test_find_mapped_label (GTK_WIDGET (from_departed), "User deactivated");
  g_assert_nonnull (label);
  g_assert_null (desk_test_find_mapped_label (GTK_WIDGET (snoozed), "User deactivated"));
  assert_accessible_name (from_departed, f->departed);
  assert_accessible_name (from_departed, "(User deactivated)");

  assert_accessible_name (snoozed, "Snoozed until 6 Nov, 00:00");
  g_assert_nonnull (desk_test_find_mapped_label (GTK_WIDGET (snoozed),
                                                 "Snoozed until 6 Nov, 00:00"));

  /* The member's deactivation in the demo: its own record's day. */
  from = g_strdup_printf ("From %s (deactivated ", f->departed);
  assert_accessible_name (moved, from);
  to = g_strdup_printf ("Addressed to %s", f->departed);
  assert_accessible_name (addressed, to);
  g_assert_nonnull (desk_test_find_mapped_label (GTK_WIDGET (addressed), to));

  save_screenshot (GTK_WIDGET (f->window), "inbox.png");
}

/* A message another program delivers (an integration, on its own
 * connection) shows up after the window's next look. */
static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  RowShown shown = { NULL, "Arrived meanwhile" };
  g_autofree char *sql = NULL;
  sqlite3 *other = NULL;
  guint before;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  shown.view = f->view;
  before = g_list_model_get_n_items (G_LIST_MODEL (desk_inbox_view_get_list (f->view)));
  g_assert_null (find_row (f->view, "Arrived meanwhile"));
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  sql = g_strdup_printf ("INSERT INTO messages (sender_client_id, subject, body, sent_at)"
                         " VALUES (1, 'Arrived meanwhile', '', %" G_GINT64_FORMAT ");"
                         "INSERT INTO inbox_items (message_id, member_id, received_at)"
                         " SELECT last_insert_rowid (), id, %" G_GINT64_FORMAT
                         " FROM members WHERE username = 'admin';",
                         DESK_TEST_NOW, DESK_TEST_NOW);
  g_assert_cmpint (sqlite3_exec (other, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);

  wait_until (row_shown, &shown, "the new message");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (desk_inbox_view_get_list (f->view))),
                    ==, before + 1);

  /* Signing out takes the inbox with it. */
  desk_window_sign_out (f->window);
  g_assert_null (desk_inbox_view_get_session (f->view));
  g_assert_null (desk_inbox_view_get_list (f->view));
  g_assert_null (gtk_list_view_get_model (desk_inbox_view_get_list_view (f->view)));
}

static gboolean
name_listed (GListModel *model,
             const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) string = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (string), name) == 0)
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  DeskRolesView *roles;
  const char    *name;
} NameGone;

static gboolean
name_gone (gpointer data)
{
  NameGone *gone = data;

  return !name_listed (desk_roles_view_get_members (gone->roles), gone->name);
}

/* The roles window, from the members view: every role and group named for
 * a screen reader, deactivated members not listed, and a member deactivated
 * meanwhile gone from the list. */
static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  DeskMembersView *members = desk_window_get_members_view (f->window);
  GListModel *toplevels;
  DeskRolesView *roles = NULL;
  GtkListBoxRow *row;
  g_autofree char *sql = NULL;
  g_autofree char *active_name = NULL;
  NameGone gone;
  guint n_rows = 0;
  gint64 role, active;
  sqlite3 *other = NULL;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-members", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (members), "members.show-roles", NULL));
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (DESK_IS_ROLES_VIEW (window))
        roles = DESK_ROLES_VIEW (window);
    }
  g_assert_nonnull (roles);
  wait_until ((DeskTestCondition) gtk_widget_get_mapped, roles, "the roles window");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (roles)) == GTK_WINDOW (f->window));

  while ((row = gtk_list_box_get_row_at_index (desk_roles_view_get_sidebar (roles), n_rows)))
    {
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (row),
                                                       GTK_ACCESSIBLE_PROPERTY_LABEL));
      n_rows++;
    }
  g_assert_cmpuint (n_rows, ==, 12);

  /* The deactivated member's role: they are not listed. */
  role = desk_test_count (f->store, "SELECT r.rowid FROM (SELECT name, row_number () OVER"
                                    " (ORDER BY name COLLATE NOCASE) AS rowid FROM roles) r"
                                    " JOIN roles o ON o.name = r.name"
                                    " JOIN member_roles x ON x.role_id = o.id"
                                    " JOIN members m ON m.id = x.member_id"
                                    " WHERE m.status = 'deactivated' ORDER BY m.id LIMIT 1");
  desk_roles_view_select (roles, role - 1);
  g_assert_cmpuint (g_list_model_get_n_items (desk_roles_view_get_members (roles)), >, 0);
  g_assert_false (name_listed (desk_roles_view_get_members (roles), f->departed));
  g_assert_nonnull (desk_test_find_mapped_label (GTK_WIDGET (roles),
                                                 "1 deactivated member is not listed; their membership is kept"));
  save_screenshot (GTK_WIDGET (roles), "roles.png");

  /* Another workstation deactivates a listed member. */
  {
    g_autoptr(GtkStringObject) first = g_list_model_get_item (desk_roles_view_get_members (roles), 0);

    active_name = g_strdup (gtk_string_object_get_string (first));
  }
  active = desk_test_count (f->store, "SELECT min (id) FROM members WHERE status = 'active'"
                                      " AND given_name || ' ' || family_name = '%s'", active_name);
  g_assert_cmpint (active, >, 0);
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  sql = g_strdup_printf ("UPDATE members SET status = 'deactivated', deactivated_at = %"
                         G_GINT64_FORMAT " WHERE id = %" G_GINT64_FORMAT, DESK_TEST_NOW, active);
  g_assert_cmpint (sqlite3_exec (other, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  gone = (NameGone) { roles, active_name };
  wait_until (name_gone, &gone, "the deactivated member to leave the list");

  gtk_window_destroy (GTK_WINDOW (roles));
}

int
main (int   argc,
      char *argv[])
{
  have_display = desk_test_gui_init (&argc, &argv);

  g_test_add ("/inbox/rows", Fixture, NULL, fixture_set_up, test_rows, fixture_tear_down);
  g_test_add ("/inbox/refresh", Fixture, NULL, fixture_set_up, test_refresh, fixture_tear_down);
  g_test_add ("/inbox/roles", Fixture, NULL, fixture_set_up, test_roles, fixture_tear_down);

  return g_test_run ();
}
