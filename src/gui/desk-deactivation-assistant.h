/* desk-deactivation-assistant.h: deactivating a member, step by step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-deactivation.h"
#include "desk-receiver-picker.h"
#include "desk-reauth.h"

G_BEGIN_DECLS

#define DESK_TYPE_DEACTIVATION_ASSISTANT (desk_deactivation_assistant_get_type ())
G_DECLARE_FINAL_TYPE (DeskDeactivationAssistant, desk_deactivation_assistant,
                      DESK, DEACTIVATION_ASSISTANT, AdwWindow)

/* The assistant's pages. */
#define DESK_ASSISTANT_PAGE_LOADING      "loading"
#define DESK_ASSISTANT_PAGE_REFUSED      "refused"
#define DESK_ASSISTANT_PAGE_IMPACT       "impact"
#define DESK_ASSISTANT_PAGE_APPOINTMENTS "appointments"
#define DESK_ASSISTANT_PAGE_QNAIRES      "qnaires"
#define DESK_ASSISTANT_PAGE_INBOX        "inbox"
#define DESK_ASSISTANT_PAGE_LABS         "labs"
#define DESK_ASSISTANT_PAGE_SUMMARY      "summary"
#define DESK_ASSISTANT_PAGE_WORKING      "working"
#define DESK_ASSISTANT_PAGE_REPORT       "report"

/* A modal assistant over @parent that deactivates @member as @session's
 * member, confirming with @reauth; it reads the impact at once, in the
 * background.  Once done, @parent shows a toast (see
 * the window template). */
DeskDeactivationAssistant *desk_deactivation_assistant_new        (GtkWindow    *parent,
                                                                   DeskSession  *session,
                                                                   DeskReauth   *reauth,
                                                                   DeskMember   *member);

/* Writes the report (CSV) to @file, as the export button does after its
 * file chooser. */
void        desk_deactivation_assistant_export                    (DeskDeactivationAssistant *self,
                                                                   GFile                     *file);

/* For tests: what is shown and the widgets a member uses. */
const char *desk_deactivation_assistant_get_page                  (DeskDeactivationAssistant *self);
gboolean    desk_deactivation_assistant_get_busy                  (DeskDeactivationAssistant *self);
DeskDeactivationPlan *desk_deactivation_assistant_get_plan        (DeskDeactivationAssistant *self);
const DeskDeactivationReport *desk_deactivation_assistant_get_report (DeskDeactivationAssistant *self);
/* Whether the button of "assistant.@action" (next, back, deactivate,
 * cancel, close) can be used. */
gboolean    desk_deactivation_assistant_get_action_enabled        (DeskDeactivationAssistant *self,
                                                                   const char                *action);
/* The error or block the current page shows, or NULL. */
const char *desk_deactivation_assistant_get_message               (DeskDeactivationAssistant *self);
/* The page's choice between a receiver and the consequence. */
DeskReceiverPicker *desk_deactivation_assistant_get_picker        (DeskDeactivationAssistant *self,
                                                                   DeskDeactivationCategory   category);
GtkCheckButton *desk_deactivation_assistant_get_consequence       (DeskDeactivationAssistant *self,
                                                                   DeskDeactivationCategory   category);
GtkCheckButton *desk_deactivation_assistant_get_move              (DeskDeactivationAssistant *self,
                                                                   DeskDeactivationCategory   category);
/* The text that says what the choice does (the warning before a consequence). */
const char *desk_deactivation_assistant_get_warning               (DeskDeactivationAssistant *self,
                                                                   DeskDeactivationCategory   category);
/* The picker of the @index-th lab integration (in the plan's order). */
DeskReceiverPicker *desk_deactivation_assistant_get_lab_picker    (DeskDeactivationAssistant *self,
                                                                   guint                      index);
GtkEditable *desk_deactivation_assistant_get_reason               (DeskDeactivationAssistant *self);
GtkEditable *desk_deactivation_assistant_get_password             (DeskDeactivationAssistant *self);
/* The sentences the summary or the report page shows. */
char      **desk_deactivation_assistant_dup_lines                 (DeskDeactivationAssistant *self);

G_END_DECLS
