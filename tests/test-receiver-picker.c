/* test-receiver-picker.c: the receiver picker's rows as a member types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The picker keeps its rows and binds each search's matches to them: the
 * rows shown are the model's matches, in its order, however the search
 * narrows or widens; no row is made for a search that fits in the rows
 * there are, a row beyond the matches is hidden (neither seen nor heard),
 * and the mark of the choice follows the member chosen, not the row.  The
 * first search waits for an idle moment, or for the picker to be shown.
 */
#include "config.h"

#include <adwaita.h>

#include "desk-member.h"
#include "desk-receiver-picker.h"
#include "desk-test-util.h"
#include "desk-test-window.h"

static gboolean have_display;

/* Nine active members and a deactivated one: more than a picker shows. */
static DeskStore *
make_clinic (const char *path)
{
  g_autoptr(GError) error = NULL;
  DeskStore *store = desk_store_create (path, "Picker Clinic", &error);

  g_assert_no_error (error);
  desk_test_exec (store,
    "INSERT INTO members (id, username, given_name, family_name, email, kind, province,"
    "                     created_at, status, deactivated_at) VALUES"
    " (1, 'ada', 'Ada', 'Ouellet', 'ada@clinic.ca', 'employee', 'QC', 0, 'active', NULL),"
    " (2, 'elodie', 'Élodie', 'Bérubé', 'eb@clinic.ca', 'provider', 'QC', 0, 'active', NULL),"
    " (3, 'marc', 'Marc', 'Bérubé', 'marc@clinic.ca', 'provider', 'ON', 0, 'active', NULL),"
    " (4, 'zoe', 'Zoé', 'Aubin', 'zoe@clinic.ca', 'employee', 'ON', 0, 'active', NULL),"
    " (5, 'gone', 'Gilles', 'Bédard', 'gone@clinic.ca', 'provider', 'QC', 0, 'deactivated', 10),"
    " (6, 'yves', 'Yves', 'Caron', 'yves@clinic.ca', 'provider', 'QC', 0, 'active', NULL),"
    " (7, 'lea', 'Léa', 'Dion', 'lea@clinic.ca', 'provider', 'QC', 0, 'active', NULL),"
    " (8, 'noah', 'Noah', 'Fortin', 'noah@clinic.ca', 'employee', 'QC', 0, 'active', NULL),"
    " (9, 'emma', 'Emma', 'Gauthier', 'emma@clinic.ca', 'provider', 'ON', 0, 'active', NULL),"
    " (10, 'theo', 'Théo', 'Lavoie', 'theo@clinic.ca', 'provider', 'QC', 0, 'active', NULL);"
    "UPDATE members SET"
    "  search_text = desk_fold (given_name || ' ' || family_name || ' ' || username || ' ' ||"
    "                           substr (email, 1, instr (email, '@') - 1)),"
    "  sort_key = desk_fold (family_name || ' ' || given_name);");
  return store;
}

typedef struct
{
  DeskTestDir        *dir;
  DeskStore          *store;
  GtkWindow          *window;
  DeskReceiverPicker *picker;
  GtkListBox         *list;
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
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;

  if (!have_display)
    return;
  f->dir = desk_test_dir_new ();
  path = g_build_filename (f->dir, "clinic.db", NULL);
  f->store = make_clinic (path);
  f->picker = g_object_ref_sink (desk_receiver_picker_new ());
  f->list = GTK_LIST_BOX (find_widget (GTK_WIDGET (f->picker), GTK_TYPE_LIST_BOX));
  g_assert_nonnull (f->list);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_display)
    return;
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  g_clear_object (&f->window);
  g_assert_finalize_object (f->picker);
  g_assert_finalize_object (f->store);
  desk_test_dir_free (f->dir);
}

static void
show_in_window (Fixture *f)
{
  f->window = g_object_ref (GTK_WINDOW (gtk_window_new ()));
  gtk_window_set_child (f->window, GTK_WIDGET (f->picker));
  gtk_window_present (f->window);
}

static guint
n_rows (Fixture *f)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (f->list, (int) n) != NULL)
    n++;
  return n;
}

/* The titles of the rows shown, in order, as "A|B". */
static char *
shown_titles (Fixture *f)
{
  g_autoptr(GString) out = g_string_new (NULL);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (f->list, i)) != NULL; i++)
    if (gtk_widget_get_visible (GTK_WIDGET (row)) &&
        gtk_widget_get_visible (GTK_WIDGET (f->list)))
      g_string_append_printf (out, "%s%s", out->len > 0 ? "|" : "",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* What the model offers for @text, in its words and order, as "A|B". */
static char *
model_titles (Fixture    *f,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = desk_member_find_receivers (f->store, text, FALSE, 0,
                                                            DESK_RECEIVER_PICKER_MATCHES, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (found); i++)
    {
      g_autoptr(DeskMember) member = g_list_model_get_item (found, i);

      g_string_append_printf (out, "%s%s", out->len > 0 ? "|" : "",
                              desk_member_get_display_name (member));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct
{
  Fixture    *f;
  const char *titles;
} Shown;

static gboolean
titles_shown (gpointer data)
{
  Shown *shown = data;
  g_autofree char *titles = shown_titles (shown->f);

  return g_strcmp0 (titles, shown->titles) == 0;
}

/* A key typed at the end of the search, as a member types it. */
static void
type_key (Fixture    *f,
          const char *key)
{
  GtkEditable *entry = desk_receiver_picker_get_entry (f->picker);
  int position = (int) g_utf8_strlen (gtk_editable_get_text (entry), -1);

  gtk_editable_insert_text (entry, key, -1, &position);
}

static void
wait_for_titles (Fixture    *f,
                 const char *text)
{
  g_autofree char *expected = model_titles (f, text);
  Shown shown = { f, expected };

  wait_until (titles_shown, &shown, expected);
}

static GtkWidget *
find_icon (GtkWidget  *widget,
           const char *icon_name)
{
  if (GTK_IS_IMAGE (widget) &&
      g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), icon_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_icon (child, icon_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The row's mark of the choice. */
static GtkWidget *
chosen_mark (GtkListBoxRow *row)
{
  GtkWidget *mark = find_icon (GTK_WIDGET (row), "object-select-symbolic");

  g_assert_nonnull (mark);
  return mark;
}

static gboolean
has_rows (gpointer data)
{
  return n_rows (data) > 0;
}

/* Tests */

/* Set up but never shown, the picker searches at an idle moment: its rows
 * are ready before its page is. */
static void
test_search_when_idle (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *expected = NULL;
  g_autofree char *titles = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  desk_receiver_picker_set_context (f->picker, f->store, FALSE, 0);
  g_assert_cmpuint (n_rows (f), ==, 0);
  wait_until (has_rows, f, "the first search, at an idle moment");
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (f->picker)));
  g_assert_cmpuint (n_rows (f), ==, 6);
  expected = model_titles (f, "");
  titles = shown_titles (f);
  g_assert_cmpstr (titles, ==, expected);
  g_assert_cmpstr (titles, ==, "Zoé Aubin|Élodie Bérubé|Marc Bérubé|Yves Caron|Léa Dion|Noah Fortin");
}

/* Shown before that idle moment, it searches as it is shown. */
static void
test_search_when_shown (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *titles = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  show_in_window (f);
  desk_receiver_picker_set_context (f->picker, f->store, TRUE, 0);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->picker)));
  titles = shown_titles (f);
  g_assert_cmpstr (titles, ==, "Élodie Bérubé|Marc Bérubé|Yves Caron|Léa Dion|Emma Gauthier|Théo Lavoie");
}

/* Narrowing, finding nothing and widening again bind the same rows. */
static void
test_rows_rebound (Fixture       *f,
                   gconstpointer  data)
{
  GtkListBoxRow *rows[6];
  GtkWidget *empty;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  show_in_window (f);
  desk_receiver_picker_set_context (f->picker, f->store, FALSE, 0);
  wait_for_titles (f, "");
  for (int i = 0; i < 6; i++)
    rows[i] = gtk_list_box_get_row_at_index (f->list, i);

  type_key (f, "b");
  type_key (f, "e");
  wait_for_titles (f, "be");
  {
    g_autofree char *titles = shown_titles (f);

    g_assert_cmpstr (titles, ==, "Élodie Bérubé|Marc Bérubé");
  }
  g_assert_cmpuint (n_rows (f), ==, 6);
  for (int i = 0; i < 6; i++)
    g_assert_true (gtk_list_box_get_row_at_index (f->list, i) == rows[i]);
  for (int i = 2; i < 6; i++)
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (rows[i])));

  /* Nothing matches: no row shown, and the picker says so. */
  type_key (f, "q");
  wait_for_titles (f, "beq");
  empty = desk_test_find_mapped_label (GTK_WIDGET (f->picker), "No active member matches this search");
  g_assert_nonnull (empty);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->list)));

  /* Back to everyone: the same six rows, bound again in the model's order. */
  gtk_editable_set_text (desk_receiver_picker_get_entry (f->picker), "");
  wait_for_titles (f, "");
  g_assert_cmpuint (n_rows (f), ==, 6);
  for (int i = 0; i < 6; i++)
    {
      g_assert_true (gtk_list_box_get_row_at_index (f->list, i) == rows[i]);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (rows[i])));
    }
  g_assert_null (desk_test_find_mapped_label (GTK_WIDGET (f->picker),
                                              "No active member matches this search"));
}

/* The mark of the choice, seen and heard, goes with the member chosen as
 * the matches move between the rows. */
static void
test_choice_follows_member (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GListModel) matches = NULL;
  g_autoptr(DeskMember) chosen = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  show_in_window (f);
  desk_receiver_picker_set_context (f->picker, f->store, FALSE, 0);
  wait_for_titles (f, "");
  matches = g_object_ref (desk_receiver_picker_get_matches (f->picker));
  chosen = g_list_model_get_item (matches, 2);
  g_assert_cmpstr (desk_member_get_username (chosen), ==, "marc");

  desk_receiver_picker_activate_match (f->picker, 2);
  g_assert_cmpint (desk_receiver_picker_get_receiver_id (f->picker), ==, 3);
  for (int i = 0; i < 6; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (f->list, i);

      g_assert_cmpint (gtk_widget_get_visible (chosen_mark (row)), ==, i == 2);
      g_assert_cmpint (gtk_test_accessible_has_state (GTK_ACCESSIBLE (row),
                                                      GTK_ACCESSIBLE_STATE_SELECTED),
                       ==, i == 2);
    }

  /* "marc" alone: the chosen member is now the first row. */
  type_key (f, "marc");
  wait_for_titles (f, "marc");
  {
    GtkListBoxRow *first = gtk_list_box_get_row_at_index (f->list, 0);
    GtkListBoxRow *third = gtk_list_box_get_row_at_index (f->list, 2);

    g_assert_true (gtk_widget_get_visible (chosen_mark (first)));
    g_assert_true (gtk_test_accessible_has_state (GTK_ACCESSIBLE (first),
                                                  GTK_ACCESSIBLE_STATE_SELECTED));
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (third)));
    g_assert_false (gtk_test_accessible_has_state (GTK_ACCESSIBLE (third),
                                                   GTK_ACCESSIBLE_STATE_SELECTED));
  }
  /* The search changed, the choice did not. */
  g_assert_cmpint (desk_receiver_picker_get_receiver_id (f->picker), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  have_display = desk_test_gui_init (&argc, &argv);

  g_test_add ("/receiver-picker/search-when-idle", Fixture, NULL,
              fixture_set_up, test_search_when_idle, fixture_tear_down);
  g_test_add ("/receiver-picker/search-when-shown", Fixture, NULL,
              fixture_set_up, test_search_when_shown, fixture_tear_down);
  g_test_add ("/receiver-picker/rows-rebound", Fixture, NULL,
              fixture_set_up, test_rows_rebound, fixture_tear_down);
  g_test_add ("/receiver-picker/choice-follows-member", Fixture, NULL,
              fixture_set_up, test_choice_follows_member, fixture_tear_down);

  return g_test_run ();
}
