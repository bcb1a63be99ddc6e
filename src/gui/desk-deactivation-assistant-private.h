/* desk-deactivation-assistant-private.h: what the assistant's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-activity-indicator.h"
#include "desk-deactivation-assistant.h"

G_BEGIN_DECLS

/* The steps, in order: the impact, one per category, the summary. */
enum { STEP_IMPACT, STEP_APPOINTMENTS, STEP_QNAIRES, STEP_INBOX, STEP_LABS, STEP_SUMMARY, N_STEPS };
#define N_MOVES 3   /* appointments, Qnaires, inbox: a receiver or the consequence */

/* The pages built from desk-deactivation-pages.ui, in the stack's order
 * (after the loading and refused pages of the template): the steps', then
 * the working page and the report. */
enum { PAGE_WORKING = N_STEPS, PAGE_REPORT, N_PAGES };


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
  guint                   n_built;        /* the pages built so far, in order */
  guint                   build_source;   /* builds the next page at an idle moment */

  /* Template widgets; those of a page not built yet are NULL */
  AdwWindowTitle         *window_title;
  GtkWidget              *cancel_button;
  GtkWidget              *back_button;
  GtkWidget              *next_button;
  GtkWidget              *deactivate_button;
  GtkWidget              *close_button;
  GtkStack               *stack;
  DeskActivityIndicator  *loading_spinner;
  GtkLabel               *loading_label;
  DeskActivityIndicator  *working_spinner;
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
  DeskActivityIndicator  *checking_spinner;
  GtkLabel               *remembered_label;
  GtkPasswordEntry       *password_entry;
  GtkLabel               *summary_error;
  GtkWidget              *read_again_button;
  GtkLabel               *report_title;
  GtkBox                 *report_box;
  GtkLabel               *export_label;
};

/* desk-deactivation-assistant.c */
gboolean    _desk_assistant_step_shown        (DeskDeactivationAssistant *self,
                                               int                        step);
void        _desk_assistant_update_actions    (DeskDeactivationAssistant *self);
/* The handlers that desk-deactivation-pages.ui names. */
GtkBuilderScope *_desk_assistant_get_page_scope (void);

/* desk-deactivation-pages.c: what the pages say */
const char *_desk_assistant_member_name       (DeskDeactivationAssistant *self);
void        _desk_assistant_set_message       (GtkLabel                  *label,
                                               const char                *message);
void        _desk_assistant_fill_sentences    (GtkBox                    *box,
                                               const char * const        *lines);
void        _desk_assistant_fill_impact       (DeskDeactivationAssistant *self);
void        _desk_assistant_update_move_page  (DeskDeactivationAssistant *self,
                                               DeskDeactivationCategory   category);
void        _desk_assistant_fill_labs         (DeskDeactivationAssistant *self);
/* Builds the pages up to @page (a PAGE_ or STEP_ value) that are not built
 * yet, in order; each is filled from the plan when there is one. */
void        _desk_assistant_build_pages       (DeskDeactivationAssistant *self,
                                               guint                      page);
/* Builds the page named @name if it is one of desk-deactivation-pages.ui. */
void        _desk_assistant_build_page_named  (DeskDeactivationAssistant *self,
                                               const char                *name);
/* Drops the pages' widgets, which go with the window, and builds no more. */
void        _desk_assistant_forget_pages      (DeskDeactivationAssistant *self);
/* Starts building the pages one at a time at idle moments. */
void        _desk_assistant_build_when_idle   (DeskDeactivationAssistant *self);
void        _desk_assistant_export_action     (GtkWidget                 *widget,
                                               const char                *action_name,
                                               GVariant                  *parameter);

G_END_DECLS
