/* desk-clinic-opener.c: opening a clinic file, then checking it in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "desk-client-search.h"
#include "desk-clinic-opener.h"
#include "desk-demo.h"
#include "desk-store.h"

struct _DeskClinicOpener
{
  GObject                parent_instance;

  DeskClinicOpenerState  state;
  DeskStore             *store;
  GError                *error;
  GCancellable          *open_cancellable;
  GCancellable          *check_cancellable;
  gboolean               check_started;    /* for this store */
  gboolean               checking;
};

G_DEFINE_ENUM_TYPE (DeskClinicOpenerState, desk_clinic_opener_state,
                    G_DEFINE_ENUM_VALUE (DESK_CLINIC_OPENER_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (DESK_CLINIC_OPENER_OPENING, "opening"),
                    G_DEFINE_ENUM_VALUE (DESK_CLINIC_OPENER_CREATING_DEMO, "creating-demo"),
                    G_DEFINE_ENUM_VALUE (DESK_CLINIC_OPENER_UPGRADING, "upgrading"),
                    G_DEFINE_ENUM_VALUE (DESK_CLINIC_OPENER_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (DESK_CLINIC_OPENER_FAILED, "failed"))

G_DEFINE_FINAL_TYPE (DeskClinicOpener, desk_clinic_opener, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_STORE,
  PROP_CHECKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GFile    *file;
  gboolean  demo;
  gint64    started;
} OpenData;

/* Helpers */

static void
open_data_free (OpenData *data)
{
  g_clear_object (&data->file);
  g_free (data);
}

/* The store, the error and the state change together, then are announced:
 * whoever watches "state" finds the other two already right. */
static void
set_state (DeskClinicOpener      *self,
           DeskClinicOpenerState  state,
           DeskStore             *store,
           GError                *error)   /* (transfer full) */
{
  gboolean store_changed;

  g_object_freeze_notify (G_OBJECT (self));
  store_changed = g_set_object (&self->store, store);
  if (store_changed)
    self->check_started = FALSE;
  g_clear_error (&self->error);
  self->error = error;
  if (store_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  if (self->state != state || store_changed || error != NULL)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_checking (DeskClinicOpener *self,
              gboolean          checking)
{
  if (self->checking == checking)
    return;
  self->checking = checking;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
}

static void
cancel_all (DeskClinicOpener *self)
{
  if (self->open_cancellable != NULL)
    g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  set_checking (self, FALSE);
}

/* Whether @path is @dir or inside it. */
static gboolean
path_is_in (const char *path,
            const char *dir)
{
  gsize length = strlen (dir);

  return strncmp (path, dir, length) == 0 && (path[length] == '/' || path[length] == '\0');
}

/* A file that comes through the document portal: in a Flatpak, the file
 * chooser gives one for a file the sandbox cannot see itself, under the
 * portal's FUSE mount ($XDG_RUNTIME_DIR/doc, and /run/flatpak/doc inside
 * the sandbox).  That mount shows the one file: SQLite cannot make the
 * -wal and -shm a clinic needs beside it, and the locks and shared memory
 * it would take there are not those other programs take on the real file,
 * so that two programs could write the clinic at once and damage it.  The
 * Flatpak gives Front Desk the home folder (see flatpak/), where the file
 * chooser gives real paths; anything else is refused before it is opened. */
static gboolean
is_document_portal_path (const char *path)
{
  g_autofree char *user_documents = g_build_filename (g_get_user_runtime_dir (), "doc", NULL);

  return path_is_in (path, user_documents) || path_is_in (path, "/run/flatpak/doc");
}

/* The core builds the demo beside @path and moves it into place once
 * complete, so that an interrupted creation never leaves half a clinic. */
static gboolean
create_demo_clinic (const char  *path,
                    GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(DeskStore) store = NULL;
  DeskDemoOptions options = { .seed = DESK_DEMO_SEED };

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The folder for the demo clinic cannot be created: %s."),
                   g_strerror (saved_errno));
      return FALSE;
    }

  store = desk_demo_create (path, NULL, &options, NULL, NULL, error);
  return store != NULL;
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  g_autofree char *path = g_file_get_path (data->file);
  g_autoptr(GError) error = NULL;
  DeskStore *store;

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (data->file);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("“%s” is not a local file. Front Desk opens clinic databases on this computer only."),
                               uri);
      return;
    }

  if (data->demo && !g_file_test (path, G_FILE_TEST_EXISTS) &&
      !create_demo_clinic (path, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  store = desk_store_open_full (path, DESK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void
open_done (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  DeskClinicOpener *self = DESK_CLINIC_OPENER (source_object);
  OpenData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = g_task_propagate_pointer (G_TASK (result), &error);
  g_debug ("Opening the clinic took %.0f ms", (g_get_monotonic_time () - data->started) / 1000.0);

  /* Another open started since, or it was cancelled. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  g_clear_object (&self->open_cancellable);
  if (store == NULL)
    set_state (self, DESK_CLINIC_OPENER_FAILED, NULL, g_steal_pointer (&error));
  else
    set_state (self, DESK_CLINIC_OPENER_READY, store, NULL);
}

/* Opening takes a millisecond or two at any size, and done on the spot it
 * lets a window's lists load while the window is still being realized.
 * Only when nothing can make it wait: a locked file, an older file to
 * check and upgrade, an error to show or the demo to create go to a worker. */
static DeskStore *
try_open_now (GFile    *file,
              gboolean *needs_upgrade)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  DeskStore *store;

  *needs_upgrade = FALSE;
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;

  store = desk_store_open_full (path, DESK_STORE_OPEN_NO_WAIT | DESK_STORE_OPEN_NO_UPGRADE, &error);
  if (store == NULL)
    *needs_upgrade = g_error_matches (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NEEDS_UPGRADE);
  return store;
}

/* The one place the search index upkeep is started.  A failure (the file
 * is read-only, another program writes for long) only leaves the index as
 * it was. */
static void
balance_done (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DeskClinicOpener) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n_split = 0;

  if (desk_client_search_balance_finish (DESK_STORE (source_object), result, &n_split, &error))
    {
      if (n_split > 0)
        g_debug ("Split %u buckets of the client search index", n_split);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    g_debug ("The client search index was left as it was: %s", error->message);

  if (self->store == DESK_STORE (source_object))
    set_checking (self, FALSE);
}

static void
start_balance (DeskClinicOpener *self)
{
  desk_client_search_balance_async (self->store, self->check_cancellable, balance_done,
                                   g_object_ref (self));
}

/* A damaged file found after it was shown: nothing has been written to it
 * (opening only reads), so it is dropped and the state says why. */
static void
check_done (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DeskClinicOpener) self = user_data;
  DeskStore *store = DESK_STORE (source_object);
  g_autoptr(GError) error = NULL;

  if (desk_store_check_finish (store, result, &error))
    {
      if (self->store == store && self->check_cancellable != NULL &&
          !g_cancellable_is_cancelled (self->check_cancellable))
        start_balance (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->store != store)
    return;

  g_clear_object (&self->check_cancellable);
  set_checking (self, FALSE);
  set_state (self, DESK_CLINIC_OPENER_FAILED, NULL, g_steal_pointer (&error));
}

/* Overrides */

static void
desk_clinic_opener_dispose (GObject *object)
{
  DeskClinicOpener *self = DESK_CLINIC_OPENER (object);

  cancel_all (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (desk_clinic_opener_parent_class)->dispose (object);
}

static void
desk_clinic_opener_finalize (GObject *object)
{
  DeskClinicOpener *self = DESK_CLINIC_OPENER (object);

  g_clear_error (&self->error);

  G_OBJECT_CLASS (desk_clinic_opener_parent_class)->finalize (object);
}

static void
desk_clinic_opener_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DeskClinicOpener *self = DESK_CLINIC_OPENER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CHECKING:
      g_value_set_boolean (value, self->checking);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_clinic_opener_class_init (DeskClinicOpenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_clinic_opener_dispose;
  object_class->finalize = desk_clinic_opener_finalize;
  object_class->get_property = desk_clinic_opener_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, DESK_TYPE_CLINIC_OPENER_STATE,
                       DESK_CLINIC_OPENER_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DESK_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_clinic_opener_init (DeskClinicOpener *self)
{
}

/* Public API */

DeskClinicOpener *
desk_clinic_opener_new (void)
{
  return g_object_new (DESK_TYPE_CLINIC_OPENER, NULL);
}

void
desk_clinic_opener_open (DeskClinicOpener *self,
                         GFile            *file,
                         gboolean          demo)
{
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  gboolean upgrade = FALSE;
  DeskClinicOpenerState state;
  OpenData *data;

  g_return_if_fail (DESK_IS_CLINIC_OPENER (self));
  g_return_if_fail (G_IS_FILE (file));

  cancel_all (self);

  path = g_file_get_path (file);
  if (path != NULL && is_document_portal_path (path))
    {
      g_autofree char *name = g_filename_display_basename (path);

      set_state (self, DESK_CLINIC_OPENER_FAILED, NULL,
                 g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                              /* Translators: %s is the name of a clinic database file */
                              _("Front Desk cannot open “%s” safely: it was given the file "
                                "without the folder it is in, where a clinic database keeps its "
                                "working files. Move the clinic database into your home folder, "
                                "or ask your IT support to give Front Desk access to its "
                                "folder."),
                              name));
      return;
    }

  /* The demo is made on first use; afterwards it opens like any clinic. */
  demo = demo && !g_file_query_exists (file, NULL);
  if (!demo)
    store = try_open_now (file, &upgrade);
  if (store != NULL)
    {
      set_state (self, DESK_CLINIC_OPENER_READY, store, NULL);
      return;
    }

  self->open_cancellable = g_cancellable_new ();
  data = g_new0 (OpenData, 1);
  data->file = g_object_ref (file);
  data->demo = demo;
  data->started = g_get_monotonic_time ();

  if (demo)
    state = DESK_CLINIC_OPENER_CREATING_DEMO;
  else if (upgrade)
    state = DESK_CLINIC_OPENER_UPGRADING;
  else
    state = DESK_CLINIC_OPENER_OPENING;
  set_state (self, state, NULL, NULL);

  task = g_task_new (self, self->open_cancellable, open_done, NULL);
  g_task_set_source_tag (task, desk_clinic_opener_open);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

void
desk_clinic_opener_cancel (DeskClinicOpener *self)
{
  g_return_if_fail (DESK_IS_CLINIC_OPENER (self));

  cancel_all (self);
  if (self->state != DESK_CLINIC_OPENER_READY)
    set_state (self, DESK_CLINIC_OPENER_NONE, NULL, NULL);
}

void
desk_clinic_opener_check (DeskClinicOpener *self)
{
  g_return_if_fail (DESK_IS_CLINIC_OPENER (self));

  if (self->state != DESK_CLINIC_OPENER_READY || self->check_started)
    return;

  self->check_started = TRUE;
  g_clear_object (&self->check_cancellable);
  self->check_cancellable = g_cancellable_new ();
  set_checking (self, TRUE);
  desk_store_check_async (self->store, self->check_cancellable, check_done, g_object_ref (self));
}

DeskClinicOpenerState
desk_clinic_opener_get_state (DeskClinicOpener *self)
{
  g_return_val_if_fail (DESK_IS_CLINIC_OPENER (self), DESK_CLINIC_OPENER_NONE);
  return self->state;
}

DeskStore *
desk_clinic_opener_get_store (DeskClinicOpener *self)
{
  g_return_val_if_fail (DESK_IS_CLINIC_OPENER (self), NULL);
  return self->store;
}

const GError *
desk_clinic_opener_get_error (DeskClinicOpener *self)
{
  g_return_val_if_fail (DESK_IS_CLINIC_OPENER (self), NULL);
  return self->error;
}

gboolean
desk_clinic_opener_get_checking (DeskClinicOpener *self)
{
  g_return_val_if_fail (DESK_IS_CLINIC_OPENER (self), FALSE);
  return self->checking;
}
