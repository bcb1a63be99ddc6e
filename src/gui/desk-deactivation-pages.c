/* desk-deactivation-pages.c: what the deactivation assistant's pages say
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The impact, the warnings before each consequence, the labs and their
 * block, the report's export; and what the widget tests look at.  The
 * flow between the pages is in desk-deactivation-assistant.c.
 *
 * The pages are built here from desk-deactivation-pages.ui, one main-loop
 * turn each: the template holds only the frame, the loading page and the
 * refusal, so that opening the assistant costs a frame or two rather than
 * every page's widgets, styles and layout at once.  While the impact is
 * read the pages are built at idle moments, in order; a page needed before
 * (or a test's getter) is built at once.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "desk-a11y.h"
#include "desk-deactivation-assistant-private.h"
#include "desk-member.h"
#include "desk-session.h"

/* Helpers */

const char *
_desk_assistant_member_name (DeskDeactivationAssistant *self)
{
  return desk_member_get_display_name (self->member);
}

void
_desk_assistant_set_message (GtkLabel   *label,
                             const char *message)
{
  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL && *message != '\0');
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

void
_desk_assistant_fill_sentences (GtkBox             *box,
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

void
_desk_assistant_fill_impact (DeskDeactivationAssistant *self)
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
  title = g_strdup_printf (_("What Depends on %s"), _desk_assistant_member_name (self));
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
                                 _desk_assistant_member_name (self));
      gtk_label_set_label (self->billing_warning, warning);
    }
  else
    gtk_label_set_label (self->billing_state, _("Not connected"));
  gtk_widget_set_visible (self->billing_warning_box,
                          desk_deactivation_plan_get_billing_connected (plan));
}

/* The move pages */

void
_desk_assistant_update_move_page (DeskDeactivationAssistant *self,
                                  DeskDeactivationCategory   category)
{
  MovePage *page = &self->moves[category];
  DeskDeactivationPlan *plan = self->plan;
  gboolean consequence;
  const char *receiver;
  g_autofree char *description = NULL;
  g_autofree char *warning = NULL;

  if (plan == NULL || page->picker == NULL)
    return;   /* filled when the plan is read, or when the page is built */
  consequence = gtk_check_button_get_active (page->consequence);
  receiver = desk_receiver_picker_get_receiver_name (page->picker);

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
                                       _desk_assistant_member_name (self), n);
        if (consequence)
          {
            g_autofree char *cancelled = NULL;
            g_autofree char *removed = NULL;

            cancelled = g_strdup_printf (ngettext ("%'u future appointment will be cancelled.",
                                                   "%'u future appointments will be cancelled.",
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
                                       _desk_assistant_member_name (self), n, snoozed);
        if (consequence)
          /* Translators: %s is the name of the member being deactivated */
          warning = g_strdup_printf (_("The messages will be archived: kept with the member, back if they are reactivated. Meanwhile no one sees them, and new messages for %s reach the members who may edit other users."),
                                     _desk_assistant_member_name (self));
        else if (receiver != NULL)
          /* Translators: the first %s is the member chosen, the second the one being deactivated */
          warning = g_strdup_printf (_("%s receives every message, snoozed ones still snoozed, and new messages for %s from now on."),
                                     receiver, _desk_assistant_member_name (self));
        break;
      }
    }

  gtk_label_set_label (page->description, description);
  gtk_label_set_label (page->warning, warning != NULL ? warning : "");
  gtk_widget_set_visible (page->warning_box, warning != NULL);
}

static void
setup_move_page (DeskDeactivationAssistant *self,
                 DeskDeactivationCategory   category)
{
  static const char *labels[N_MOVES] = {
    N_("Practitioner who receives the appointments"),
    N_("Practitioner who receives the Qnaires"),
    N_("Member who receives the inbox"),
  };
  MovePage *page = &self->moves[category];

  desk_receiver_picker_set_context (page->picker, desk_session_get_store (self->session),
                                    category != DESK_DEACTIVATION_INBOX,
                                    desk_member_get_id (self->member));
  desk_receiver_picker_set_label (page->picker, _(labels[category]));
  _desk_assistant_set_message (page->error, NULL);
  gtk_widget_set_visible (page->warning_box, FALSE);
  _desk_assistant_update_move_page (self, category);
}

/* The labs page */

static void
on_lab_receiver_chosen (DeskDeactivationAssistant *self)
{
  _desk_assistant_set_message (self->labs_error, NULL);
  _desk_assistant_update_actions (self);
}

void
_desk_assistant_fill_labs (DeskDeactivationAssistant *self)
{
  GPtrArray *labs = desk_deactivation_plan_get_lab_integrations (self->plan);
  DeskStore *store = desk_session_get_store (self->session);
  const char *main_name = NULL;
  g_autofree char *description = NULL;

  for (guint i = 0; i < labs->len; i++)
    {
      DeskLabIntegration *lab = g_ptr_array_index (labs, i);

      if (lab->is_main)
        main_name = lab->lab_name;
    }
  /* The main integration needs "manage lab integrations": say so at once
   * rather than let the member choose and be refused at the end. */
  self->labs_blocked = main_name != NULL &&
                       !desk_session_has_permission (self->session, DESK_PERMISSION_MANAGE_LABS);
  if (self->labs_box == NULL)
    return;   /* the rest when the page is built */

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
                                 _desk_assistant_member_name (self));
  gtk_label_set_label (self->labs_description, description);

  if (self->labs_blocked)
    {
      g_autofree char *block = NULL;

      /* Translators: the first %s is a lab's name, the second a member's name */
      block = g_strdup_printf (_("The clinic’s main lab integration (%s) uses %s’s information. Transferring it needs the “manage lab integrations” permission, which you do not have: ask a member who has it to deactivate this account."),
                               main_name, _desk_assistant_member_name (self));
      gtk_label_set_label (self->labs_block, block);
    }
  gtk_widget_set_visible (self->labs_block_box, self->labs_blocked);
  gtk_widget_set_sensitive (GTK_WIDGET (self->labs_box), !self->labs_blocked);
}

/* Building the pages */

static const char *page_names[N_PAGES] = {
  DESK_ASSISTANT_PAGE_IMPACT, DESK_ASSISTANT_PAGE_APPOINTMENTS, DESK_ASSISTANT_PAGE_QNAIRES,
  DESK_ASSISTANT_PAGE_INBOX, DESK_ASSISTANT_PAGE_LABS, DESK_ASSISTANT_PAGE_SUMMARY,
  DESK_ASSISTANT_PAGE_WORKING, DESK_ASSISTANT_PAGE_REPORT,
};

#define WIDGET(page, name) { page, #name, G_STRUCT_OFFSET (DeskDeactivationAssistant, name) }

/* The widgets of each page that the assistant keeps, by their ids. */
static const struct
{
  guint       page;
  const char *id;
  gssize      offset;
} page_widgets[] = {
  WIDGET (STEP_IMPACT, impact_title),
  WIDGET (STEP_IMPACT, appointments_count),
  WIDGET (STEP_IMPACT, recurring_count),
  WIDGET (STEP_IMPACT, sent_count),
  WIDGET (STEP_IMPACT, inbox_count),
  WIDGET (STEP_IMPACT, labs_count),
  WIDGET (STEP_IMPACT, billing_state),
  WIDGET (STEP_IMPACT, labs_impact_group),
  WIDGET (STEP_IMPACT, billing_warning_box),
  WIDGET (STEP_IMPACT, billing_warning),
  WIDGET (STEP_IMPACT, reason_row),
  WIDGET (STEP_LABS, labs_description),
  WIDGET (STEP_LABS, labs_block_box),
  WIDGET (STEP_LABS, labs_block),
  WIDGET (STEP_LABS, labs_box),
  WIDGET (STEP_LABS, labs_error),
  WIDGET (STEP_SUMMARY, summary_box),
  WIDGET (STEP_SUMMARY, checking_box),
  WIDGET (STEP_SUMMARY, checking_spinner),
  WIDGET (STEP_SUMMARY, remembered_label),
  WIDGET (STEP_SUMMARY, password_entry),
  WIDGET (STEP_SUMMARY, summary_error),
  WIDGET (STEP_SUMMARY, read_again_button),
  WIDGET (PAGE_WORKING, working_spinner),
  WIDGET (PAGE_WORKING, working_label),
  WIDGET (PAGE_REPORT, report_title),
  WIDGET (PAGE_REPORT, report_box),
  WIDGET (PAGE_REPORT, export_label),
};

#undef WIDGET

/* A move page's widgets are named after its category ("inbox_picker"). */
static const char *move_prefixes[N_MOVES] = { "appointments", "qnaires", "inbox" };

static const struct
{
  const char *suffix;
  gssize      offset;
} move_widgets[] = {
  { "description", G_STRUCT_OFFSET (MovePage, description) },
  { "move", G_STRUCT_OFFSET (MovePage, move) },
  { "picker", G_STRUCT_OFFSET (MovePage, picker) },
  { "consequence", G_STRUCT_OFFSET (MovePage, consequence) },
  { "warning_box", G_STRUCT_OFFSET (MovePage, warning_box) },
  { "warning", G_STRUCT_OFFSET (MovePage, warning) },
  { "error", G_STRUCT_OFFSET (MovePage, error) },
};

static GObject *
page_object (GtkBuilder *builder,
             const char *id)
{
  GObject *object = gtk_builder_get_object (builder, id);

  if (object == NULL)
    g_error ("desk-deactivation-pages.ui has no “%s”", id);
  return object;
}

static void
build_page (DeskDeactivationAssistant *self,
            guint                      index)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strconcat (page_names[index], "_page", NULL);
  const char *ids[] = { id, NULL };
  GtkWidget *page;

  g_assert (index == self->n_built);

  gtk_builder_set_scope (builder, _desk_assistant_get_page_scope ());
  gtk_builder_set_current_object (builder, G_OBJECT (self));
  gtk_builder_set_translation_domain (builder, GETTEXT_PACKAGE);
  /* A file of the program's own resource: only a bug makes it fail. */
  if (!gtk_builder_add_objects_from_resource (builder, RESOURCE_PREFIX "/desk-deactivation-pages.ui",
                                              ids, &error))
    g_error ("desk-deactivation-pages.ui: %s", error->message);

  for (guint i = 0; i < G_N_ELEMENTS (page_widgets); i++)
    if (page_widgets[i].page == index)
      G_STRUCT_MEMBER (gpointer, self, page_widgets[i].offset) = page_object (builder, page_widgets[i].id);
  if (index >= STEP_APPOINTMENTS && index <= STEP_INBOX)
    {
      MovePage *move = &self->moves[index - STEP_APPOINTMENTS];

      for (guint i = 0; i < G_N_ELEMENTS (move_widgets); i++)
        {
          g_autofree char *name = g_strconcat (move_prefixes[index - STEP_APPOINTMENTS], "_",
                                               move_widgets[i].suffix, NULL);

          G_STRUCT_MEMBER (gpointer, move, move_widgets[i].offset) = page_object (builder, name);
        }
    }

  /* Out of sight, and out of a screen reader's hearing, until shown. */
  page = GTK_WIDGET (page_object (builder, id));
  gtk_stack_add_named (self->stack, page, page_names[index]);
  gtk_accessible_update_state (GTK_ACCESSIBLE (page), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  desk_a11y_name_mnemonic_buttons (page);
  self->n_built = index + 1;

  switch (index)
    {
    case STEP_IMPACT:
      if (self->plan != NULL)
        _desk_assistant_fill_impact (self);
      break;

    case STEP_APPOINTMENTS:
    case STEP_QNAIRES:
    case STEP_INBOX:
      setup_move_page (self, (DeskDeactivationCategory) (index - STEP_APPOINTMENTS));
      break;

    case STEP_LABS:
      _desk_assistant_set_message (self->labs_error, NULL);
      if (self->plan != NULL)
        _desk_assistant_fill_labs (self);
      break;

    case STEP_SUMMARY:
      _desk_assistant_set_message (self->summary_error, NULL);
      break;

    case PAGE_REPORT:
      _desk_assistant_set_message (self->export_label, NULL);
      break;

    default:
      break;
    }
}

void
_desk_assistant_build_pages (DeskDeactivationAssistant *self,
                             guint                      page)
{
  g_assert (page < N_PAGES);

  while (self->n_built <= page)
    build_page (self, self->n_built);
}

void
_desk_assistant_build_page_named (DeskDeactivationAssistant *self,
                                  const char                *name)
{
  for (guint i = 0; i < N_PAGES; i++)
    if (g_strcmp0 (page_names[i], name) == 0)
      _desk_assistant_build_pages (self, i);
}

/* One page a turn. */
void
_desk_assistant_forget_pages (DeskDeactivationAssistant *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_widgets); i++)
    G_STRUCT_MEMBER (gpointer, self, page_widgets[i].offset) = NULL;
  for (guint m = 0; m < N_MOVES; m++)
    for (guint i = 0; i < G_N_ELEMENTS (move_widgets); i++)
      G_STRUCT_MEMBER (gpointer, &self->moves[m], move_widgets[i].offset) = NULL;
  g_clear_handle_id (&self->build_source, g_source_remove);
  self->n_built = N_PAGES;   /* nothing more is built */
}

static gboolean
on_build_idle (gpointer data)
{
  DeskDeactivationAssistant *self = data;

  if (self->n_built < N_PAGES)
    build_page (self, self->n_built);
  if (self->n_built < N_PAGES)
    return G_SOURCE_CONTINUE;
  self->build_source = 0;
  return G_SOURCE_REMOVE;
}

void
_desk_assistant_build_when_idle (DeskDeactivationAssistant *self)
{
  /* After the frames (G_PRIORITY_LOW): a page's turn never delays one. */
  if (self->build_source == 0 && self->n_built < N_PAGES)
    self->build_source = g_idle_add_full (G_PRIORITY_LOW, on_build_idle, self, NULL);
}

/* Exporting the report */

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
  _desk_assistant_update_actions (self);

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

void
_desk_assistant_export_action (GtkWidget  *widget,
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
  _desk_assistant_update_actions (self);
}

/* Public API */

void
desk_deactivation_assistant_export (DeskDeactivationAssistant *self,
                                    GFile                     *file)
{
  g_autoptr(GBytes) bytes = NULL;
  char *csv;

  g_return_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->report != NULL);

  _desk_assistant_set_message (self->export_label, NULL);
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

  _desk_assistant_build_pages (self, STEP_APPOINTMENTS + category);

  return self->moves[category].picker;
}

GtkCheckButton *
desk_deactivation_assistant_get_consequence (DeskDeactivationAssistant *self,
                                             DeskDeactivationCategory   category)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);
  g_return_val_if_fail (category < N_MOVES, NULL);

  _desk_assistant_build_pages (self, STEP_APPOINTMENTS + category);

  return self->moves[category].consequence;
}

GtkCheckButton *
desk_deactivation_assistant_get_move (DeskDeactivationAssistant *self,
                                      DeskDeactivationCategory   category)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);
  g_return_val_if_fail (category < N_MOVES, NULL);

  _desk_assistant_build_pages (self, STEP_APPOINTMENTS + category);

  return self->moves[category].move;
}

const char *
desk_deactivation_assistant_get_warning (DeskDeactivationAssistant *self,
                                         DeskDeactivationCategory   category)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);
  g_return_val_if_fail (category < N_MOVES, NULL);

  _desk_assistant_build_pages (self, STEP_APPOINTMENTS + category);

  if (!gtk_widget_get_visible (self->moves[category].warning_box))
    return NULL;
  return gtk_label_get_label (self->moves[category].warning);
}

DeskReceiverPicker *
desk_deactivation_assistant_get_lab_picker (DeskDeactivationAssistant *self,
                                            guint                      index)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);

  _desk_assistant_build_pages (self, STEP_LABS);
  g_return_val_if_fail (index < self->lab_pickers->len, NULL);

  return g_ptr_array_index (self->lab_pickers, index);
}

GtkEditable *
desk_deactivation_assistant_get_reason (DeskDeactivationAssistant *self)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);

  _desk_assistant_build_pages (self, STEP_IMPACT);
  return GTK_EDITABLE (self->reason_row);
}

GtkEditable *
desk_deactivation_assistant_get_password (DeskDeactivationAssistant *self)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);

  _desk_assistant_build_pages (self, STEP_SUMMARY);
  return GTK_EDITABLE (self->password_entry);
}

char **
desk_deactivation_assistant_dup_lines (DeskDeactivationAssistant *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GtkWidget *box;

  g_return_val_if_fail (DESK_IS_DEACTIVATION_ASSISTANT (self), NULL);

  _desk_assistant_build_pages (self, self->step == STEP_SUMMARY ? STEP_SUMMARY : PAGE_REPORT);
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
