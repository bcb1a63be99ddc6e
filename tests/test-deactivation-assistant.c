/* test-deactivation-assistant.c: deactivating and reactivating a member through the assistant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Over 900 lines, one file still: every test walks the same assistant over
 * the same demo clinics with the same helpers (finding a member by what
 * they hold, typing a receiver, stepping through the pages, counting what
 * moved); apart, the helpers would be copied or turned into a library for
 * this one use.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "desk-deactivation.h"
#include "desk-deactivation-assistant.h"
#include "desk-member.h"
#include "desk-member-detail.h"
#include "desk-reauth-dialog.h"
#include "desk-session.h"
#include "desk-test-gui.h"
#include "desk-test-util.h"
#include "desk-test-window.h"
#include "desk-window.h"

static gboolean have_display;

/* Helpers */

static DeskSession *
sign_in (DeskStore  *store,
         const char *username)
{
  g_autoptr(GError) error = NULL;
  DeskSession *session = desk_session_sign_in (store, username, DESK_DEMO_PASSWORD, &error);

  g_assert_no_error (error);
  return session;
}

static void
pump (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef gboolean (*PlanFilter) (DeskDeactivationPlan *plan);

/* The first active member (not the one signed in) whose plan @filter
 * accepts, as the model reads it. */
static DeskMember *
find_member (DeskSession *session,
             PlanFilter   filter)
{
  DeskStore *store = desk_session_get_store (session);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) members = NULL;
  gint64 self_id = desk_member_get_id (desk_session_get_member (session));

  members = desk_member_find_receivers (store, "", FALSE, self_id, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(DeskMember) member = g_list_model_get_item (members, i);
      g_autoptr(DeskDeactivationPlan) plan = NULL;

      plan = desk_deactivation_plan_new (session, desk_member_get_id (member), &error);
      g_assert_no_error (error);
      if (filter (plan))
        return g_steal_pointer (&member);
    }
  g_error ("No member fits the test");
  return NULL;
}

static gboolean
has_everything (DeskDeactivationPlan *plan)
{
  return desk_deactivation_plan_has (plan, DESK_DEACTIVATION_APPOINTMENTS) &&
         desk_deactivation_plan_has (plan, DESK_DEACTIVATION_QNAIRES) &&
         desk_deactivation_plan_has (plan, DESK_DEACTIVATION_INBOX) &&
         desk_deactivation_plan_has (plan, DESK_DEACTIVATION_LABS);
}

static gboolean
has_moves_no_labs (DeskDeactivationPlan *plan)
{
  return desk_deactivation_plan_has (plan, DESK_DEACTIVATION_APPOINTMENTS) &&
         desk_deactivation_plan_has (plan, DESK_DEACTIVATION_QNAIRES) &&
         !desk_deactivation_plan_has (plan, DESK_DEACTIVATION_LABS);
}

static gboolean
lacks_a_category (DeskDeactivationPlan *plan)
{
  return !desk_deactivation_plan_has (plan, DESK_DEACTIVATION_APPOINTMENTS) ||
         !desk_deactivation_plan_has (plan, DESK_DEACTIVATION_QNAIRES);
}

static gboolean
assistant_settled (gpointer data)
{
  return !desk_deactivation_assistant_get_busy (data);
}

static DeskDeactivationAssistant *
open_assistant (GtkWindow   *parent,
                DeskSession *session,
                DeskReauth  *reauth,
                DeskMember  *member)
{
  DeskDeactivationAssistant *assistant;

  assistant = desk_deactivation_assistant_new (parent, session, reauth, member);
  g_object_ref (assistant);
  gtk_window_present (GTK_WINDOW (assistant));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (assistant)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (assistant)) == parent);
  /* The impact is read in the background: the loading page first. */
  g_assert_cmpstr (desk_deactivation_assistant_get_page (assistant), ==, DESK_ASSISTANT_PAGE_LOADING);
  wait_until (assistant_settled, assistant, "the impact");
  return assistant;
}

static void
close_assistant (DeskDeactivationAssistant *assistant)
{
  gtk_window_destroy (GTK_WINDOW (assistant));
  pump ();
  g_assert_finalize_object (assistant);
}

static gboolean
action_enabled (DeskDeactivationAssistant *assistant,
                const char                *action)
{
  return desk_deactivation_assistant_get_action_enabled (assistant, action);
}

static void
activate (DeskDeactivationAssistant *assistant,
          const char                *action)
{
  g_autofree char *name = g_strconcat ("assistant.", action, NULL);

  g_assert_true (action_enabled (assistant, action));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), name, NULL));
  pump ();
  wait_until (assistant_settled, assistant, action);
}

static void
next (DeskDeactivationAssistant *assistant)
{
  activate (assistant, "next");
}

typedef struct
{
  DeskReceiverPicker *picker;
  gint64              id;
} Match;

static gboolean
match_offered (gpointer data)
{
  Match *match = data;
  GListModel *matches = desk_receiver_picker_get_matches (match->picker);

  if (matches == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (matches); i++)
    {
      g_autoptr(DeskMember) member = g_list_model_get_item (matches, i);

      if (desk_member_get_id (member) == match->id)
        return TRUE;
    }
  return FALSE;
}

/* Types @receiver's username in @picker and chooses them, as a member does. */
static void
choose (DeskReceiverPicker *picker,
        DeskMember         *receiver)
{
  Match match = { picker, desk_member_get_id (receiver) };
  GListModel *matches;

  gtk_editable_set_text (desk_receiver_picker_get_entry (picker),
                         desk_member_get_username (receiver));
  wait_until (match_offered, &match, "the receiver among the matches");
  matches = desk_receiver_picker_get_matches (picker);
  for (guint i = 0; i < g_list_model_get_n_items (matches); i++)
    {
      g_autoptr(DeskMember) member = g_list_model_get_item (matches, i);

      if (desk_member_get_id (member) == match.id)
        {
          desk_receiver_picker_activate_match (picker, i);
          break;
        }
    }
  g_assert_cmpint (desk_receiver_picker_get_receiver_id (picker), ==, match.id);
}

/* Every match a picker offers may receive: active, not @member, a provider
 * when @practitioners. */
static void
assert_offers_only_receivers (DeskReceiverPicker *picker,
                              DeskMember         *member,
                              gboolean            practitioners)
{
  GListModel *matches = desk_receiver_picker_get_matches (picker);

  g_assert_nonnull (matches);
  g_assert_cmpuint (g_list_model_get_n_items (matches), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (matches); i++)
    {
      g_autoptr(DeskMember) offered = g_list_model_get_item (matches, i);

      g_assert_true (desk_member_get_is_active (offered));
      g_assert_cmpint (desk_member_get_id (offered), !=, desk_member_get_id (member));
      if (practitioners)
        g_assert_cmpint (desk_member_get_kind (offered), ==, DESK_MEMBER_KIND_PROVIDER);
    }
}

static DeskMember *
first_provider (DeskStore  *store,
                DeskMember *except)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) providers = desk_member_find_receivers (store, "", TRUE,
                                                                desk_member_get_id (except),
                                                                1, &error);

  g_assert_no_error (error);
  return g_list_model_get_item (providers, 0);
}

typedef struct
{
  guint appointments, recurring, sent, inbox, labs, audit;
  gboolean billing, active;
} Counts;

static Counts
counts_of (DeskStore  *store,
           DeskMember *member)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskMember) fresh = desk_member_load (store, desk_member_get_id (member), &error);
  DeskMemberSummary summary = { 0 };
  Counts counts;

  g_assert_no_error (error);
  g_assert_true (desk_member_load_summary (store, desk_member_get_id (member), &summary, &error));
  g_assert_no_error (error);
  counts.appointments = summary.future_appointments;
  counts.recurring = summary.recurring_qnaires;
  counts.sent = summary.sent_qnaires;
  counts.inbox = summary.inbox_messages;
  counts.labs = summary.lab_integrations;
  counts.billing = summary.billing_connected;
  counts.active = desk_member_get_is_active (fresh);
  counts.audit = (guint) desk_test_count (store, "SELECT count(*) FROM audit_log");
  desk_member_summary_clear (&summary);
  return counts;
}

static void
assert_counts_equal (const Counts *a,
                     const Counts *b)
{
  g_assert_cmpuint (a->appointments, ==, b->appointments);
  g_assert_cmpuint (a->recurring, ==, b->recurring);
  g_assert_cmpuint (a->sent, ==, b->sent);
  g_assert_cmpuint (a->inbox, ==, b->inbox);
  g_assert_cmpuint (a->labs, ==, b->labs);
  g_assert_cmpint (a->billing, ==, b->billing);
  g_assert_cmpint (a->active, ==, b->active);
  g_assert_cmpuint (a->audit, ==, b->audit);
}

/* A widget under @root whose tooltip is @text. */
static GtkWidget *
find_by_tooltip (GtkWidget  *root,
                 const char *text)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (root), text) == 0 && gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_tooltip (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget  *root;
  const char *tooltip;
} TooltipShown;

static gboolean
tooltip_shown (gpointer data)
{
  TooltipShown *shown = data;

  return find_by_tooltip (shown->root, shown->tooltip) != NULL;
}

/* Shows @member's page in the members view, as a click on their row does. */
static void
show_member (DeskWindow       *window,
             DeskMember       *member,
             DeskMemberStatus  status)
{
  DeskMembersView *view = desk_window_get_members_view (window);
  DeskRecordList *list;
  guint position = G_MAXUINT;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-members", NULL);
  desk_members_view_set_status (view, status);
  list = desk_members_view_get_list (view, status);
  wait_until (desk_test_list_loaded, list, "the members");
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(DeskMember) row = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (desk_member_get_id (row) == desk_member_get_id (member))
        position = i;
    }
  g_assert_cmpuint (position, !=, G_MAXUINT);
  g_signal_emit_by_name (desk_members_view_get_list_view (view), "activate", position);
  pump ();
}

/* Tests */

/* The lock is shown on every member, insensitive with the reason for
 * yourself and for a member without "edit other users". */
static void
test_lock_insensitive (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) admin = NULL;
  g_autoptr(DeskMember) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) members = NULL;
  g_autofree char *front_desk = NULL;
  DeskWindow *window;
  GtkWidget *lock;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 100, 21);
  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  desk_test_sign_in (window);

  /* Yourself: insensitive, and the reason in the tooltip and in words. */
  show_member (window, desk_session_get_member (desk_window_get_session (window)),
               DESK_MEMBER_STATUS_ACTIVE);
  {
    TooltipShown shown = { GTK_WIDGET (window), "You cannot deactivate your own account." };
    DeskTestLabelShown label = { GTK_WIDGET (window), "You cannot deactivate your own account." };

    wait_until (tooltip_shown, &shown, "the lock with its reason");
    lock = find_by_tooltip (GTK_WIDGET (window), shown.tooltip);
    g_assert_true (GTK_IS_BUTTON (lock));
    g_assert_false (gtk_widget_is_sensitive (lock));
    g_assert_true (desk_test_label_shown (&label));
  }

  /* Another member: the lock works. */
  admin = g_object_ref (desk_window_get_session (window));
  members = desk_member_find_receivers (store, "", FALSE,
                                        desk_member_get_id (desk_session_get_member (admin)), 0,
                                        &error);
  g_assert_no_error (error);
  other = g_list_model_get_item (members, 0);
  show_member (window, other, DESK_MEMBER_STATUS_ACTIVE);
  {
    TooltipShown shown = { GTK_WIDGET (window), "Deactivate this member’s account" };

    wait_until (tooltip_shown, &shown, "the lock");
    g_assert_true (gtk_widget_is_sensitive (find_by_tooltip (GTK_WIDGET (window), shown.tooltip)));
  }

  /* A member without "edit other users": insensitive, saying which permission. */
  for (guint i = 0; i < g_list_model_get_n_items (members) && front_desk == NULL; i++)
    {
      g_autoptr(DeskMember) member = g_list_model_get_item (members, i);
      DeskMemberSummary summary = { 0 };

      g_assert_true (desk_member_load_summary (store, desk_member_get_id (member), &summary, NULL));
      if ((summary.permissions & DESK_PERMISSION_EDIT_USERS) == 0 &&
          g_strcmp0 (desk_member_get_username (member), desk_member_get_username (other)) != 0)
        front_desk = g_strdup (desk_member_get_username (member));
      desk_member_summary_clear (&summary);
    }
  g_assert_nonnull (front_desk);
  desk_window_sign_out (window);
  desk_test_type_sign_in (window, front_desk, DESK_DEMO_PASSWORD);
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_CLINIC);
  show_member (window, other, DESK_MEMBER_STATUS_ACTIVE);
  {
    const char *reason = "Deactivating members needs the “edit other users” permission.";
    TooltipShown shown = { GTK_WIDGET (window), reason };
    DeskTestLabelShown label = { GTK_WIDGET (window), reason };

    wait_until (tooltip_shown, &shown, "the lock with its reason");
    g_assert_false (gtk_widget_is_sensitive (find_by_tooltip (GTK_WIDGET (window), reason)));
    g_assert_true (desk_test_label_shown (&label));
  }

  /* And the model refuses them too, in its words, on the assistant's first page. */
  {
    g_autoptr(DeskReauth) reauth = desk_reauth_new (desk_window_get_session (window), 0, 1000);
    DeskDeactivationAssistant *assistant;

    assistant = open_assistant (GTK_WINDOW (window), desk_window_get_session (window), reauth, other);
    g_assert_cmpstr (desk_deactivation_assistant_get_page (assistant), ==, DESK_ASSISTANT_PAGE_REFUSED);
    g_assert_nonnull (desk_deactivation_assistant_get_message (assistant));
    g_assert_nonnull (strstr (desk_deactivation_assistant_get_message (assistant), "edit other users"));
    g_assert_false (action_enabled (assistant, "next"));
    close_assistant (assistant);
  }

  g_clear_object (&admin);
  desk_test_destroy_window (window);
}

/* A step with nothing to move is skipped; the others come in order. */
static void
test_pages_skipped (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(DeskReauth) reauth = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  DeskMember *members[2];
  PlanFilter filters[2] = { has_everything, lacks_a_category };

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 300, 22);
  session = sign_in (store, DESK_DEMO_USERNAME);
  reauth = desk_reauth_new (session, 0, 1000);

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    {
      const char *pages[] = {
        DESK_ASSISTANT_PAGE_APPOINTMENTS, DESK_ASSISTANT_PAGE_QNAIRES,
        DESK_ASSISTANT_PAGE_INBOX, DESK_ASSISTANT_PAGE_LABS,
      };
      DeskDeactivationAssistant *assistant;
      DeskDeactivationPlan *plan;

      members[m] = find_member (session, filters[m]);
      assistant = open_assistant (NULL, session, reauth, members[m]);
      plan = desk_deactivation_assistant_get_plan (assistant);
      g_ptr_array_set_size (expected, 0);
      g_ptr_array_set_size (seen, 0);
      g_ptr_array_add (expected, (gpointer) DESK_ASSISTANT_PAGE_IMPACT);
      for (guint c = 0; c < G_N_ELEMENTS (pages); c++)
        if (desk_deactivation_plan_has (plan, (DeskDeactivationCategory) c))
          g_ptr_array_add (expected, (gpointer) pages[c]);
      g_ptr_array_add (expected, (gpointer) DESK_ASSISTANT_PAGE_SUMMARY);
      if (m == 0)
        g_assert_cmpuint (expected->len, ==, 6);
      else
        g_assert_cmpuint (expected->len, <, 6);

      /* Through every step with the consequences (and the labs to a colleague). */
      for (;;)
        {
          const char *page = desk_deactivation_assistant_get_page (assistant);

          g_ptr_array_add (seen, (gpointer) g_intern_string (page));
          if (g_str_equal (page, DESK_ASSISTANT_PAGE_SUMMARY))
            break;
          for (guint c = 0; c < 3; c++)
            if (g_str_equal (page, pages[c]))
              gtk_check_button_set_active (desk_deactivation_assistant_get_consequence (assistant, c), TRUE);
          if (g_str_equal (page, DESK_ASSISTANT_PAGE_LABS))
            {
              GPtrArray *labs = desk_deactivation_plan_get_lab_integrations (plan);

              for (guint i = 0; i < labs->len; i++)
                {
                  g_autoptr(DeskMember) receiver = first_provider (store, members[m]);

                  choose (desk_deactivation_assistant_get_lab_picker (assistant, i), receiver);
                }
            }
          next (assistant);
        }

      g_assert_cmpuint (seen->len, ==, expected->len);
      for (guint i = 0; i < seen->len; i++)
        g_assert_cmpstr (g_ptr_array_index (seen, i), ==, g_ptr_array_index (expected, i));
      /* Back walks the same steps backwards. */
      for (guint i = seen->len - 1; i > 0; i--)
        {
          activate (assistant, "back");
          g_assert_cmpstr (desk_deactivation_assistant_get_page (assistant), ==,
                           g_ptr_array_index (seen, i - 1));
        }
      g_assert_false (action_enabled (assistant, "back"));
      close_assistant (assistant);
      g_object_unref (members[m]);
    }
}

static GtkWidget *
find_stack (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_stack (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The names of the assistant's pages, in the stack's order, as "a|b". */
static char *
page_names (DeskDeactivationAssistant *assistant)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GtkSelectionModel) pages = NULL;
  GtkWidget *stack = find_stack (GTK_WIDGET (assistant));

  g_assert_nonnull (stack);
  g_assert_nonnull (gtk_stack_get_child_by_name (GTK_STACK (stack), DESK_ASSISTANT_PAGE_LOADING));
  pages = gtk_stack_get_pages (GTK_STACK (stack));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      GtkStackPage *page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      g_string_append_printf (names, "%s%s", i > 0 ? "|" : "", gtk_stack_page_get_name (page));
      g_object_unref (page);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

typedef struct
{
  DeskDeactivationAssistant *assistant;
  const char                *names;
} PagesBuilt;

static gboolean
pages_built (gpointer data)
{
  PagesBuilt *built = data;
  g_autofree char *names = page_names (built->assistant);

  return g_strcmp0 (names, built->names) == 0;
}

#define ALL_PAGES "loading|refused|impact|appointments|qnaires|inbox|labs|summary|working|report"

static gboolean
on_later (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Opening the assistant builds its frame and the loading page alone; the
 * other pages come one at a time while the impact is read, in their order
 * (Back and Next slide by it), or at once when one is needed first; a page
 * built before the impact is read is filled when it is. */
static void
test_pages_built_when_needed (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *names = NULL;
  g_autofree char *description = NULL;
  g_autofree char *title = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(DeskReauth) reauth = NULL;
  g_autoptr(DeskMember) member = NULL;
  DeskDeactivationAssistant *assistant;
  PagesBuilt all;
  guint n;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 300, 22);
  session = sign_in (store, DESK_DEMO_USERNAME);
  reauth = desk_reauth_new (session, 0, 1000);
  member = find_member (session, has_everything);

  assistant = g_object_ref (desk_deactivation_assistant_new (NULL, session, reauth, member));
  names = page_names (assistant);
  g_assert_cmpstr (names, ==, "loading|refused");
  gtk_window_present (GTK_WINDOW (assistant));
  wait_until (assistant_settled, assistant, "the impact");
  g_assert_cmpstr (desk_deactivation_assistant_get_page (assistant), ==, DESK_ASSISTANT_PAGE_IMPACT);
  all = (PagesBuilt) { assistant, ALL_PAGES };
  wait_until (pages_built, &all, "every page, built at idle moments");
  close_assistant (assistant);

  /* The summary's password asked for first: the pages before it are built
   * with it, in order, and filled once the impact is read. */
  assistant = g_object_ref (desk_deactivation_assistant_new (NULL, session, reauth, member));
  g_assert_nonnull (desk_deactivation_assistant_get_password (assistant));
  g_clear_pointer (&names, g_free);
  names = page_names (assistant);
  g_assert_cmpstr (names, ==, "loading|refused|impact|appointments|qnaires|inbox|labs|summary");
  gtk_window_present (GTK_WINDOW (assistant));
  wait_until (assistant_settled, assistant, "the impact");
  /* Translators' words, in English: the impact page built early says whose. */
  title = g_strdup_printf ("What Depends on %s", desk_member_get_display_name (member));
  g_assert_nonnull (desk_test_find_mapped_label (GTK_WIDGET (assistant), title));
  next (assistant);
  g_assert_cmpstr (desk_deactivation_assistant_get_page (assistant), ==, DESK_ASSISTANT_PAGE_APPOINTMENTS);
  n = desk_deactivation_plan_get_future_appointments (desk_deactivation_assistant_get_plan (assistant));
  g_assert_cmpuint (n, >, 1);
  description = g_strdup_printf ("%s has %u future appointments. Move them to another active "
                                 "practitioner, or cancel them.",
                                 desk_member_get_display_name (member), n);
  g_assert_nonnull (desk_test_find_mapped_label (GTK_WIDGET (assistant), description));
  close_assistant (assistant);

  /* Closed at once, pages still to build: nothing is built after it goes. */
  {
    gpointer weak = desk_deactivation_assistant_new (NULL, session, reauth, member);
    gboolean later = FALSE;

    g_object_add_weak_pointer (G_OBJECT (weak), &weak);
    gtk_window_destroy (GTK_WINDOW (weak));
    /* The impact read holds it until it answers. */
    while (weak != NULL)
      g_main_context_iteration (NULL, TRUE);
    g_timeout_add (100, on_later, &later);
    while (!later)
      g_main_context_iteration (NULL, TRUE);
  }
}

/* Back and Next keep the choices; a move needs a receiver or the consequence. */
static void
test_choices_kept (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(DeskReauth) reauth = NULL;
  g_autoptr(DeskMember) member = NULL;
  g_autoptr(DeskMember) receiver = NULL;
  DeskDeactivationAssistant *assistant;
  DeskReceiverPicker *picker;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 300, 23);
  session = sign_in (store, DESK_DEMO_USERNAME);
  reauth = desk_reauth_new (session, 0, 1000);
  member = find_member (session, has_moves_no_labs);
  receiver = first_provider (store, member);

  assistant = open_assistant (NULL, session, reauth, member);
  g_assert_cmpstr (desk_deactivation_assistant_get_page (assistant), ==, DESK_ASSISTANT_PAGE_IMPACT);
  gtk_editable_set_text (desk_deactivation_assistant_get_reason (assistant), "Moved away");
  next (assistant);
  g_assert_cmpstr (desk_deactivation_assistant_get_page (assistant), ==, DESK_ASSISTANT_PAGE_APPOINTMENTS);

  /* Neither a receiver nor the consequence yet: no Next. */
  picker = desk_deactivation_assistant_get_picker (assistant, DESK_DEACTIVATION_APPOINTMENTS);
  g_assert_false (action_enabled (assistant, "next"));
  /* Only active practitioners other than the member are offered. */
  gtk_editable_set_text (desk_receiver_picker_get_entry (picker), "");
  assert_offers_only_receivers (picker, member, TRUE);

  /* The consequence says what happens before it happens. */
  gtk_check_button_set_active (desk_deactivation_assistant_get_consequence (assistant, DESK_DEACTIVATION_APPOINTMENTS), TRUE);
  g_assert_true (action_enabled (assistant, "next"));
  g_assert_nonnull (strstr (desk_deactivation_assistant_get_warning (assistant, DESK_DEACTIVATION_APPOINTMENTS),
                            "will be cancelled"));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (picker)));

  /* Back to the move, with a receiver. */
  gtk_check_button_set_active (desk_deactivation_assistant_get_move (assistant, DESK_DEACTIVATION_APPOINTMENTS), TRUE);
  g_assert_false (action_enabled (assistant, "next"));
  choose (picker, receiver);
  g_assert_true (action_enabled (assistant, "next"));
  next (assistant);
  g_assert_cmpint (desk_deactivation_plan_get_receiver (desk_deactivation_assistant_get_plan (assistant),
                                                        DESK_DEACTIVATION_APPOINTMENTS),
                   ==, desk_member_get_id (receiver));
  g_assert_cmpstr (desk_deactivation_assistant_get_page (assistant), ==, DESK_ASSISTANT_PAGE_QNAIRES);

  /* Qnaires removed; then back twice and forward again: all as chosen. */
  gtk_check_button_set_active (desk_deactivation_assistant_get_consequence (assistant, DESK_DEACTIVATION_QNAIRES), TRUE);
  g_assert_nonnull (strstr (desk_deactivation_assistant_get_warning (assistant, DESK_DEACTIVATION_QNAIRES),
                            "removed"));
  next (assistant);
  activate (assistant, "back");
  activate (assistant, "back");
  g_assert_cmpstr (desk_deactivation_assistant_get_page (assistant), ==, DESK_ASSISTANT_PAGE_APPOINTMENTS);
  g_assert_cmpint (desk_receiver_picker_get_receiver_id (picker), ==, desk_member_get_id (receiver));
  g_assert_true (gtk_check_button_get_active (desk_deactivation_assistant_get_move (assistant, DESK_DEACTIVATION_APPOINTMENTS)));
  activate (assistant, "back");
  g_assert_cmpstr (gtk_editable_get_text (desk_deactivation_assistant_get_reason (assistant)), ==, "Moved away");
  next (assistant);
  next (assistant);
  g_assert_true (gtk_check_button_get_active (desk_deactivation_assistant_get_consequence (assistant, DESK_DEACTIVATION_QNAIRES)));
  g_assert_cmpint (desk_deactivation_plan_get_receiver (desk_deactivation_assistant_get_plan (assistant),
                                                        DESK_DEACTIVATION_QNAIRES), ==, 0);
  g_assert_cmpstr (desk_deactivation_plan_get_reason (desk_deactivation_assistant_get_plan (assistant)),
                   ==, "Moved away");
  close_assistant (assistant);
}

/* Escape, from any step, closes the assistant with nothing changed. */
static void
test_escape_changes_nothing (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(DeskReauth) reauth = NULL;
  g_autoptr(DeskMember) member = NULL;
  g_autoptr(DeskMember) receiver = NULL;
  DeskDeactivationAssistant *assistant;
  GtkEventController *shortcuts = NULL;
  Counts before, after, receiver_before, receiver_after;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 300, 24);
  session = sign_in (store, DESK_DEMO_USERNAME);
  reauth = desk_reauth_new (session, 0, 1000);
  member = find_member (session, has_moves_no_labs);
  receiver = first_provider (store, member);
  before = counts_of (store, member);
  receiver_before = counts_of (store, receiver);

  assistant = open_assistant (NULL, session, reauth, member);
  next (assistant);
  choose (desk_deactivation_assistant_get_picker (assistant, DESK_DEACTIVATION_APPOINTMENTS), receiver);
  next (assistant);
  gtk_check_button_set_active (desk_deactivation_assistant_get_consequence (assistant, DESK_DEACTIVATION_QNAIRES), TRUE);
  while (!g_str_equal (desk_deactivation_assistant_get_page (assistant), DESK_ASSISTANT_PAGE_SUMMARY))
    {
      if (g_str_equal (desk_deactivation_assistant_get_page (assistant), DESK_ASSISTANT_PAGE_INBOX))
        gtk_check_button_set_active (desk_deactivation_assistant_get_consequence (assistant, DESK_DEACTIVATION_INBOX), TRUE);
      next (assistant);
    }
  gtk_editable_set_text (desk_deactivation_assistant_get_password (assistant), DESK_DEMO_PASSWORD);

  /* Escape is the assistant's own shortcut for Cancel. */
  for (guint i = 0; ; i++)
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (assistant));
      g_autoptr(GObject) controller = NULL;

      if (i >= g_list_model_get_n_items (controllers))
        break;
      controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_SHORTCUT_CONTROLLER (controller))
        for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
            g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

            if (g_str_equal (trigger, "Escape"))
              {
                shortcuts = GTK_EVENT_CONTROLLER (controller);
                g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                             GTK_WIDGET (assistant), NULL));
              }
          }
    }
  g_assert_nonnull (shortcuts);
  pump ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (assistant)));
  g_assert_finalize_object (assistant);

  after = counts_of (store, member);
  receiver_after = counts_of (store, receiver);
  assert_counts_equal (&before, &after);
  assert_counts_equal (&receiver_before, &receiver_after);
  g_assert_true (after.active);
}

typedef struct
{
  DeskDeactivationAssistant *assistant;
  const char                *page;
} OnPage;

static gboolean
on_page (gpointer data)
{
  OnPage *on = data;

  return g_strcmp0 (desk_deactivation_assistant_get_page (on->assistant), on->page) == 0 &&
         !desk_deactivation_assistant_get_busy (on->assistant);
}

static gboolean
exported (gpointer data)
{
  return g_object_get_data (data, "exported") != NULL;
}

/* All the way through, as a member does: the member is deactivated and
 * everything went to the receivers chosen. */
static void
test_full_run (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *toast = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskReauth) reauth = NULL;
  g_autoptr(DeskMember) member = NULL;
  g_autoptr(DeskMember) provider = NULL;
  g_autoptr(DeskMember) colleague = NULL;
  g_autoptr(DeskMember) fresh = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) summary = NULL;
  g_auto(GStrv) lines = NULL;
  DeskDeactivationAssistant *assistant;
  const DeskDeactivationReport *report;
  DeskSession *session;
  DeskWindow *window;
  Counts before, provider_before, colleague_before, after, provider_after, colleague_after;
  guint n_labs;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 300, 25);
  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  desk_test_sign_in (window);
  session = desk_window_get_session (window);
  reauth = desk_reauth_new (session, 0, 1000);

  member = find_member (session, has_everything);
  provider = first_provider (store, member);
  {
    g_autoptr(GListModel) others = desk_member_find_receivers (store, "", FALSE,
                                                               desk_member_get_id (member), 0, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < g_list_model_get_n_items (others) && colleague == NULL; i++)
      {
        g_autoptr(DeskMember) other = g_list_model_get_item (others, i);

        if (desk_member_get_id (other) != desk_member_get_id (provider))
          colleague = g_steal_pointer (&other);
      }
  }
  before = counts_of (store, member);
  provider_before = counts_of (store, provider);
  colleague_before = counts_of (store, colleague);
  g_assert_cmpuint (before.appointments, >, 0);
  g_assert_cmpuint (before.inbox, >, 0);
  g_assert_cmpuint (before.labs, >, 0);

  assistant = open_assistant (GTK_WINDOW (window), session, reauth, member);
  next (assistant);
  choose (desk_deactivation_assistant_get_picker (assistant, DESK_DEACTIVATION_APPOINTMENTS), provider);
  next (assistant);
  choose (desk_deactivation_assistant_get_picker (assistant, DESK_DEACTIVATION_QNAIRES), provider);
  next (assistant);
  /* The inbox may go to any active member, not only a practitioner. */
  choose (desk_deactivation_assistant_get_picker (assistant, DESK_DEACTIVATION_INBOX), colleague);
  next (assistant);
  g_assert_cmpstr (desk_deactivation_assistant_get_page (assistant), ==, DESK_ASSISTANT_PAGE_LABS);
  n_labs = desk_deactivation_plan_get_lab_integrations (desk_deactivation_assistant_get_plan (assistant))->len;
  g_assert_false (action_enabled (assistant, "next"));
  for (guint i = 0; i < n_labs; i++)
    choose (desk_deactivation_assistant_get_lab_picker (assistant, i), colleague);
  next (assistant);
  g_assert_cmpstr (desk_deactivation_assistant_get_page (assistant), ==, DESK_ASSISTANT_PAGE_SUMMARY);

  /* The summary says, in the model's plain words, everything that will happen. */
  summary = desk_deactivation_assistant_dup_lines (assistant);
  {
    g_auto(GStrv) described = desk_deactivation_plan_describe (desk_deactivation_assistant_get_plan (assistant));

    g_assert_cmpstrv (summary, described);
  }
  g_assert_cmpuint (g_strv_length (summary), >, 0);

  /* No password yet, no Deactivate; a wrong one says so and changes nothing. */
  g_assert_false (action_enabled (assistant, "deactivate"));
  gtk_editable_set_text (desk_deactivation_assistant_get_password (assistant), "not the password");
  activate (assistant, "deactivate");
  g_assert_cmpstr (desk_deactivation_assistant_get_page (assistant), ==, DESK_ASSISTANT_PAGE_SUMMARY);
  g_assert_nonnull (desk_deactivation_assistant_get_message (assistant));
  g_assert_cmpstr (gtk_editable_get_text (desk_deactivation_assistant_get_password (assistant)), ==, "");
  after = counts_of (store, member);
  g_assert_true (after.active);
  g_assert_cmpuint (after.appointments, ==, before.appointments);

  /* The right password: Enter in it deactivates. */
  gtk_editable_set_text (desk_deactivation_assistant_get_password (assistant), DESK_DEMO_PASSWORD);
  g_signal_emit_by_name (desk_deactivation_assistant_get_password (assistant), "activate");
  {
    OnPage done = { assistant, DESK_ASSISTANT_PAGE_REPORT };

    wait_until (on_page, &done, "the report");
  }
  g_assert_null (desk_deactivation_assistant_get_message (assistant));

  /* In the model: deactivated, nothing left with them, all with the receivers. */
  fresh = desk_member_load (store, desk_member_get_id (member), &error);
  g_assert_no_error (error);
  g_assert_false (desk_member_get_is_active (fresh));
  after = counts_of (store, member);
  provider_after = counts_of (store, provider);
  colleague_after = counts_of (store, colleague);
  g_assert_cmpuint (after.appointments, ==, 0);
  g_assert_cmpuint (after.recurring, ==, 0);
  g_assert_cmpuint (after.sent, ==, 0);
  g_assert_cmpuint (after.inbox, ==, 0);
  g_assert_cmpuint (after.labs, ==, 0);
  g_assert_false (after.billing);
  g_assert_cmpuint (provider_after.appointments, ==, provider_before.appointments + before.appointments);
  g_assert_cmpuint (provider_after.recurring, ==, provider_before.recurring + before.recurring);
  g_assert_cmpuint (provider_after.sent, ==, provider_before.sent + before.sent);
  g_assert_cmpuint (colleague_after.inbox, ==, colleague_before.inbox + before.inbox);
  g_assert_cmpuint (colleague_after.labs, ==, colleague_before.labs + before.labs);
  g_assert_cmpuint (after.audit, >, before.audit);

  report = desk_deactivation_assistant_get_report (assistant);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->appointments_moved, ==, before.appointments);
  g_assert_cmpuint (report->appointments_cancelled, ==, 0);
  g_assert_cmpuint (report->messages_forwarded, ==, before.inbox);
  g_assert_cmpuint (report->messages_archived, ==, 0);
  g_assert_cmpuint (report->lab_integrations_moved, ==, before.labs);
  lines = desk_deactivation_assistant_dup_lines (assistant);
  g_assert_cmpstrv (lines, (const char * const *) report->lines);

  /* The main window says so. */
  toast = g_strdup_printf ("%s is deactivated", desk_member_get_display_name (member));
  {
    DeskTestLabelShown shown = { GTK_WIDGET (window), toast };

    wait_until (desk_test_label_shown, &shown, "the toast");
  }

  /* The report exports as CSV. */
  csv_path = g_build_filename (dir, "report.csv", NULL);
  file = g_file_new_for_path (csv_path);
  desk_deactivation_assistant_export (assistant, file);
  wait_until (exported, assistant, "the export");
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *expected = desk_deactivation_report_to_csv ((DeskDeactivationReport *) report);

    g_assert_cmpstr (csv, ==, expected);
  }
  g_assert_nonnull (strstr (desk_deactivation_assistant_get_message (assistant), "report.csv"));

  g_assert_true (action_enabled (assistant, "close"));
  activate (assistant, "close");
  g_assert_finalize_object (assistant);
  g_unlink (csv_path);

  desk_test_destroy_window (window);
}

/* Next through the move steps, choosing each consequence, up to the labs. */
static void
to_labs_with_consequences (DeskDeactivationAssistant *assistant)
{
  const char *moves[] = {
    DESK_ASSISTANT_PAGE_APPOINTMENTS, DESK_ASSISTANT_PAGE_QNAIRES, DESK_ASSISTANT_PAGE_INBOX,
  };

  while (!g_str_equal (desk_deactivation_assistant_get_page (assistant), DESK_ASSISTANT_PAGE_LABS))
    {
      const char *page = desk_deactivation_assistant_get_page (assistant);

      g_assert_cmpstr (page, !=, DESK_ASSISTANT_PAGE_SUMMARY);
      for (guint c = 0; c < G_N_ELEMENTS (moves); c++)
        if (g_str_equal (page, moves[c]))
          gtk_check_button_set_active (desk_deactivation_assistant_get_consequence (assistant, c), TRUE);
      next (assistant);
    }
}

/* Without "manage lab integrations", the main integration blocks, saying why. */
static void
test_main_lab_blocks (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) admin = NULL;
  g_autoptr(DeskSession) director = NULL;
  g_autoptr(DeskReauth) reauth = NULL;
  g_autoptr(DeskMember) holder = NULL;
  g_autoptr(DeskMember) receiver = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) members = NULL;
  g_autofree char *director_name = NULL;
  g_autofree char *sql = NULL;
  DeskDeactivationAssistant *assistant;
  Counts before, after;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 300, 26);
  admin = sign_in (store, DESK_DEMO_USERNAME);

  /* A member who may edit other users but not manage labs (the demo's
   * clinical director), and another who holds the main integration. */
  members = desk_member_find_receivers (store, "", FALSE, 0, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (members) && director_name == NULL; i++)
    {
      g_autoptr(DeskMember) member = g_list_model_get_item (members, i);
      DeskMemberSummary summary = { 0 };

      g_assert_true (desk_member_load_summary (store, desk_member_get_id (member), &summary, NULL));
      if ((summary.permissions & DESK_PERMISSION_EDIT_USERS) != 0 &&
          (summary.permissions & DESK_PERMISSION_MANAGE_LABS) == 0)
        director_name = g_strdup (desk_member_get_username (member));
      desk_member_summary_clear (&summary);
    }
  g_assert_nonnull (director_name);
  director = sign_in (store, director_name);
  holder = find_member (director, has_moves_no_labs);
  sql = g_strdup_printf ("UPDATE lab_integrations SET member_id = %" G_GINT64_FORMAT
                         " WHERE is_main = 1", desk_member_get_id (holder));
  desk_test_exec (store, sql);
  before = counts_of (store, holder);
  g_assert_cmpuint (before.labs, >, 0);

  reauth = desk_reauth_new (director, 0, 1000);
  assistant = open_assistant (NULL, director, reauth, holder);
  to_labs_with_consequences (assistant);

  /* Blocked, with the reason, whatever is chosen. */
  g_assert_nonnull (desk_deactivation_assistant_get_message (assistant));
  g_assert_nonnull (strstr (desk_deactivation_assistant_get_message (assistant), "manage lab integrations"));
  g_assert_false (action_enabled (assistant, "next"));
  receiver = first_provider (store, holder);
  desk_receiver_picker_activate_match (desk_deactivation_assistant_get_lab_picker (assistant, 0), 0);
  g_assert_false (action_enabled (assistant, "next"));
  gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.next", NULL);
  pump ();
  g_assert_cmpstr (desk_deactivation_assistant_get_page (assistant), ==, DESK_ASSISTANT_PAGE_LABS);
  close_assistant (assistant);

  after = counts_of (store, holder);
  assert_counts_equal (&before, &after);

  /* The administrator, who may manage labs, is not blocked. */
  g_clear_object (&reauth);
  reauth = desk_reauth_new (admin, 0, 1000);
  assistant = open_assistant (NULL, admin, reauth, holder);
  to_labs_with_consequences (assistant);
  g_assert_null (desk_deactivation_assistant_get_message (assistant));
  choose (desk_deactivation_assistant_get_lab_picker (assistant, 0), receiver);
  g_assert_true (action_enabled (assistant, "next"));
  close_assistant (assistant);
}

typedef struct
{
  DeskStore *store;
  gint64     id;
} MemberRef;

static gboolean
is_active_again (gpointer data)
{
  MemberRef *ref = data;
  g_autoptr(DeskMember) fresh = desk_member_load (ref->store, ref->id, NULL);

  return fresh != NULL && desk_member_get_is_active (fresh);
}

static DeskReauthDialog *
find_reauth_dialog (void)
{
  return (DeskReauthDialog *) desk_test_find_toplevel (DESK_TYPE_REAUTH_DIALOG);
}

static gboolean
reauth_dialog_shown (gpointer data)
{
  return find_reauth_dialog () != NULL;
}

/* The deactivated list's Activate, with the password: the member is back. */
static void
test_activate (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *toast = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) admin = NULL;
  g_autoptr(DeskMember) member = NULL;
  g_autoptr(DeskDeactivationPlan) plan = NULL;
  g_autoptr(DeskDeactivationReport) report = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  DeskReauthDialog *dialog;
  DeskWindow *window;
  MemberRef ref;
  GtkWidget *button;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 100, 27);

  /* Deactivated through the model, inbox archived. */
  admin = sign_in (store, DESK_DEMO_USERNAME);
  member = find_member (admin, has_moves_no_labs);
  plan = desk_deactivation_plan_new (admin, desk_member_get_id (member), &error);
  g_assert_no_error (error);
  /* Cancel, remove, archive: chosen, as the model asks. */
  for (guint i = DESK_DEACTIVATION_APPOINTMENTS; i < DESK_DEACTIVATION_LABS; i++)
    g_assert_true (desk_deactivation_plan_set_receiver (plan, i, 0, &error));
  g_assert_true (desk_session_reauthenticate (admin, DESK_DEMO_PASSWORD, &error));
  report = desk_deactivation_execute (admin, plan, &error);
  g_assert_no_error (error);
  g_clear_object (&admin);

  /* The password every time: the keyring is not asked. */
  g_settings_set_int (settings, "reauth-grace-minutes", 0);
  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  desk_test_sign_in (window);
  show_member (window, member, DESK_MEMBER_STATUS_DEACTIVATED);
  {
    TooltipShown shown = { GTK_WIDGET (window), "Reactivate this member’s account" };

    wait_until (tooltip_shown, &shown, "the Activate button");
    button = find_by_tooltip (GTK_WIDGET (window), shown.tooltip);
  }
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  wait_until (reauth_dialog_shown, NULL, "the confirmation");
  dialog = find_reauth_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  gtk_editable_set_text (desk_reauth_dialog_get_password (dialog), DESK_DEMO_PASSWORD);
  g_signal_emit_by_name (desk_reauth_dialog_get_password (dialog), "activate");

  ref.store = store;
  ref.id = desk_member_get_id (member);
  wait_until (is_active_again, &ref, "the reactivation");
  toast = g_strdup_printf ("%s is reactivated", desk_member_get_display_name (member));
  {
    DeskTestLabelShown shown = { GTK_WIDGET (window), toast };
    g_autofree char *billing = g_strdup_printf ("%s is reactivated. Their MDBilling connection stays disconnected until it is configured again.",
                                                desk_member_get_display_name (member));
    DeskTestLabelShown shown_billing = { GTK_WIDGET (window), billing };

    if (report->billing_disconnected)
      wait_until (desk_test_label_shown, &shown_billing, "the toast");
    else
      wait_until (desk_test_label_shown, &shown, "the toast");
  }

  g_settings_reset (settings, "reauth-grace-minutes");
  desk_test_destroy_window (window);
}

static gboolean
working (gpointer data)
{
  return g_strcmp0 (desk_deactivation_assistant_get_page (data), DESK_ASSISTANT_PAGE_WORKING) == 0;
}

/* The assistant destroyed while the change runs: the change completes on
 * its own, all of it, and its answer arrives to a window that is closed
 * but still there (the answer holds it), which it leaves without harm. */
static void
test_destroyed_while_working (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(DeskReauth) reauth = NULL;
  g_autoptr(DeskMember) member = NULL;
  DeskDeactivationAssistant *assistant;
  gpointer weak;
  Counts before, after;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 300, 22);
  session = sign_in (store, DESK_DEMO_USERNAME);
  reauth = desk_reauth_new (session, 0, 1000);
  member = find_member (session, has_moves_no_labs);
  before = counts_of (store, member);
  g_assert_true (before.active);
  g_assert_cmpuint (before.appointments, >, 0);

  assistant = open_assistant (NULL, session, reauth, member);
  while (g_strcmp0 (desk_deactivation_assistant_get_page (assistant), DESK_ASSISTANT_PAGE_SUMMARY) != 0)
    {
      static const char *moves[] = {
        DESK_ASSISTANT_PAGE_APPOINTMENTS, DESK_ASSISTANT_PAGE_QNAIRES, DESK_ASSISTANT_PAGE_INBOX,
      };

      for (guint c = 0; c < G_N_ELEMENTS (moves); c++)
        if (g_strcmp0 (desk_deactivation_assistant_get_page (assistant), moves[c]) == 0)
          gtk_check_button_set_active (desk_deactivation_assistant_get_consequence (assistant, c), TRUE);
      next (assistant);
    }
  gtk_editable_set_text (desk_deactivation_assistant_get_password (assistant), DESK_DEMO_PASSWORD);
  g_signal_emit_by_name (desk_deactivation_assistant_get_password (assistant), "activate");
  wait_until (working, assistant, "the change under way");
  g_assert_true (desk_deactivation_assistant_get_busy (assistant));

  weak = assistant;
  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
  gtk_window_destroy (GTK_WINDOW (assistant));
  g_object_unref (assistant);
  /* The change's answer holds the last reference. */
  while (weak != NULL)
    g_main_context_iteration (NULL, TRUE);

  after = counts_of (store, member);
  g_assert_false (after.active);
  g_assert_cmpuint (after.appointments, ==, 0);
  g_assert_cmpuint (after.inbox, ==, 0);
  g_assert_cmpuint (after.audit, >, before.audit);
}

int
main (int   argc,
      char *argv[])
{
  have_display = desk_test_gui_init (&argc, &argv);

  g_test_add_func ("/assistant/lock-insensitive", test_lock_insensitive);
  g_test_add_func ("/assistant/pages-skipped", test_pages_skipped);
  g_test_add_func ("/assistant/pages-built-when-needed", test_pages_built_when_needed);
  g_test_add_func ("/assistant/choices-kept", test_choices_kept);
  g_test_add_func ("/assistant/escape-changes-nothing", test_escape_changes_nothing);
  g_test_add_func ("/assistant/full-run", test_full_run);
  g_test_add_func ("/assistant/main-lab-blocks", test_main_lab_blocks);
  g_test_add_func ("/assistant/activate", test_activate);
  g_test_add_func ("/assistant/destroyed-while-working", test_destroyed_while_working);

  return g_test_run ();
}
