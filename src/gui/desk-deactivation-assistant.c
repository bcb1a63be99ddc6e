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
 * summary's Deactivate.  The pages other than the loading page and the
 * refusal are built one at a time (desk-deactivation-pages.c), so that
 * opening the assistant is quick.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "desk-a11y.h"
#include "desk-deactivation-assistant-private.h"
#include "desk-member.h"
#include "desk-reauth.h"
#include "desk-session.h"
#include "desk-store.h"
#include "desk-window-chrome.h"

G_DEFINE_FINAL_TYPE (DeskDeactivationAssistant, desk_deactivation_assistant, ADW_TYPE_WINDOW)

static const char *step_pages[N_STEPS] = {
  DESK_ASSISTANT_PAGE_IMPACT, DESK_ASSISTANT_PAGE_APPOINTMENTS, DESK_ASSISTANT_PAGE_QNAIRES,
  DESK_ASSISTANT_PAGE_INBOX, DESK_ASSISTANT_PAGE_LABS, DESK_ASSISTANT_PAGE_SUMMARY,
};

static void read_impact (DeskDeactivationAssistant *self);

/* Helpers */

gboolean
_desk_assistant_step_shown (DeskDeactivationAssistant *self,
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
void
_desk_assistant_update_actions (DeskDeactivationAssistant *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean on_step = self->step >= 0;
  gboolean summary = self->step == STEP_SUMMARY;
  gboolean done = g_strcmp0 (page, DESK_ASSISTANT_PAGE_REPORT) == 0 ||
                  g_strcmp0 (page, DESK_ASSISTANT_PAGE_REFUSED) == 0;
  gboolean busy = self->working || self->confirming;
  const char *password = self->password_entry != NULL
                           ? gtk_editable_get_text (GTK_EDITABLE (self->password_entry)) : "";
  int previous = self->step - 1;

  while (previous > STEP_IMPACT && !_desk_assistant_step_shown (self, previous))
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

  _desk_assistant_build_page_named (self, page);
  self->step = step;
  gtk_stack_set_visible_child_name (self->stack, page);

  if (step >= 0)
    {
      guint n = 0, at = 0;

      for (int i = 0; i < N_STEPS; i++)
        if (_desk_assistant_step_shown (self, i))
          {
            n++;
            if (i <= step)
              at++;
          }
      /* Translators: the assistant's progress, as "Step 2 of 4" */
      subtitle = g_strdup_printf (_("Step %u of %u"), at, n);
    }
  adw_window_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : "");
  _desk_assistant_update_actions (self);
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
  desk_activity_indicator_set_spinning (self->checking_spinner, FALSE);
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
  _desk_assistant_update_actions (self);
  g_object_unref (self);
}

static void
enter_summary (DeskDeactivationAssistant *self)
{
  g_auto(GStrv) lines = desk_deactivation_plan_describe (self->plan);
  Check *check;

  _desk_assistant_fill_sentences (self->summary_box, (const char * const *) lines);
  _desk_assistant_set_message (self->summary_error, NULL);
  gtk_widget_set_visible (self->read_again_button, FALSE);

  /* A confirmation remembered in the keyring spares the password; the
   * keyring may be slow, so it is asked in the background. */
  self->checking = TRUE;
  self->remembered = FALSE;
  gtk_widget_set_visible (self->checking_box, TRUE);
  desk_activity_indicator_set_spinning (self->checking_spinner, TRUE);
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

        _desk_assistant_update_move_page (self, (DeskDeactivationCategory) (step - 1));
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
          _desk_assistant_set_message (page->error, error->message);
          return FALSE;
        }
      _desk_assistant_set_message (page->error, NULL);
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
              _desk_assistant_set_message (self->labs_error, error->message);
              return FALSE;
            }
        }
      if (!desk_deactivation_plan_check (self->plan, self->session, &error))
        {
          _desk_assistant_set_message (self->labs_error, error->message);
          return FALSE;
        }
      _desk_assistant_set_message (self->labs_error, NULL);
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

  desk_activity_indicator_set_spinning (self->loading_spinner, FALSE);
  if (plan == NULL)
    {
      adw_status_page_set_description (self->refused_page, error->message);
      gtk_widget_set_visible (self->refused_read_again, FALSE);
      show_page (self, DESK_ASSISTANT_PAGE_REFUSED, -1);
      gtk_widget_grab_focus (self->close_button);
      g_object_unref (self);
      return;
    }

  /* The pages built so far are filled now, the others as they are built. */
  g_set_object (&self->plan, plan);
  _desk_assistant_fill_labs (self);
  for (guint i = 0; i < N_MOVES; i++)
    _desk_assistant_update_move_page (self, (DeskDeactivationCategory) i);
  if (self->n_built > STEP_IMPACT)
    _desk_assistant_fill_impact (self);
  else
    _desk_assistant_build_pages (self, STEP_IMPACT);   /* filled as it is built */
  go_to_step (self, STEP_IMPACT);
  g_object_unref (self);
}

static void
read_impact (DeskDeactivationAssistant *self)
{
  g_autofree char *reading = NULL;

  g_clear_object (&self->plan);
  /* Translators: %s is the name of the member being deactivated */
  reading = g_strdup_printf (_("Reading what depends on %s…"), _desk_assistant_member_name (self));
  gtk_label_set_label (self->loading_label, reading);
  desk_activity_indicator_set_spinning (self->loading_spinner, TRUE);
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
  desk_activity_indicator_set_spinning (self->working_spinner, FALSE);

  if (report == NULL)
    {
      /* Nothing changed: back to the summary with the model's words. */
      go_to_step (self, STEP_SUMMARY);
      _desk_assistant_set_message (self->summary_error, error->message);
      gtk_widget_set_visible (self->read_again_button,
                              g_error_matches (error, DESK_DEACTIVATION_ERROR,
                                               DESK_DEACTIVATION_ERROR_PLAN_CHANGED));
      g_object_unref (self);
      return;
    }

  self->report = report;
  _desk_assistant_build_pages (self, PAGE_REPORT);
  _desk_assistant_fill_sentences (self->report_box, (const char * const *) report->lines);
  /* Translators: %s is the name of the member deactivated */
  title = g_strdup_printf (_("%s is deactivated"), _desk_assistant_member_name (self));
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
  _desk_assistant_build_pages (self, PAGE_WORKING);
  /* Translators: %s is the name of the member being deactivated */
  working = g_strdup_printf (_("Deactivating %s…"), _desk_assistant_member_name (self));
  gtk_label_set_label (self->working_label, working);
  desk_activity_indicator_set_spinning (self->working_spinner, TRUE);
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
      _desk_assistant_set_message (self->summary_error, error->message);
      _desk_assistant_update_actions (self);
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
      if (self->moves[i].error == NULL)
        continue;   /* not built yet */
      _desk_assistant_set_message (self->moves[i].error, NULL);
      _desk_assistant_update_move_page (self, (DeskDeactivationCategory) i);
    }
  _desk_assistant_update_actions (self);
}

static void
on_receiver_chosen (DeskDeactivationAssistant *self)
{
  on_choice_toggled (self);
}

static void
on_password_changed (DeskDeactivationAssistant *self)
{
  /* A wrong password's message goes as the member types the next one. */
  if (!self->confirming)
    _desk_assistant_set_message (self->summary_error, NULL);
  _desk_assistant_update_actions (self);
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

GtkBuilderScope *
_desk_assistant_get_page_scope (void)
{
  static GtkBuilderScope *scope;

  if (g_once_init_enter (&scope))
    {
      GtkBuilderScope *cscope = gtk_builder_cscope_new ();

      gtk_builder_cscope_add_callback (GTK_BUILDER_CSCOPE (cscope), on_choice_toggled);
      gtk_builder_cscope_add_callback (GTK_BUILDER_CSCOPE (cscope), on_receiver_chosen);
      gtk_builder_cscope_add_callback (GTK_BUILDER_CSCOPE (cscope), on_password_changed);
      gtk_builder_cscope_add_callback (GTK_BUILDER_CSCOPE (cscope), on_password_activate);
      g_once_init_leave (&scope, cscope);
    }
  return scope;
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
  while (step > STEP_IMPACT && !_desk_assistant_step_shown (self, step))
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
  while (step < STEP_SUMMARY && !_desk_assistant_step_shown (self, step))
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

  _desk_assistant_set_message (self->summary_error, NULL);
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
  _desk_assistant_update_actions (self);
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
  _desk_assistant_forget_pages (self);

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

  object_class->dispose = desk_deactivation_assistant_dispose;
  object_class->finalize = desk_deactivation_assistant_finalize;

  g_type_ensure (DESK_TYPE_ACTIVITY_INDICATOR);
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
  BIND (refused_page);
  BIND (refused_read_again);

  gtk_widget_class_install_action (widget_class, "assistant.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "assistant.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "assistant.deactivate", NULL, deactivate_action);
  gtk_widget_class_install_action (widget_class, "assistant.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "assistant.read-again", NULL, read_again_action);
  gtk_widget_class_install_action (widget_class, "assistant.export", NULL,
                                   _desk_assistant_export_action);
}

static void
desk_deactivation_assistant_init (DeskDeactivationAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  desk_a11y_name_mnemonic_buttons (GTK_WIDGET (self));

  self->step = -1;
  self->cancellable = g_cancellable_new ();
  self->lab_pickers = g_ptr_array_new ();
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
  desk_a11y_hide_inactive_pages (GTK_WIDGET (self->stack));
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
  title = g_strdup_printf (_("Deactivate %s"), _desk_assistant_member_name (self));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);

  read_impact (self);
  _desk_assistant_build_when_idle (self);
  return self;
}

