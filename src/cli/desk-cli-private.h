/* desk-cli-private.h: what the commands of front-desk-admin share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-time.h"
#include "desk-cli.h"
#include "desk-session.h"
#include "desk-store.h"

G_BEGIN_DECLS

#define DESK_CLI_PROGRAM "front-desk-admin"

#define DESK_CLI_ERROR (desk_cli_error_quark ())

typedef enum
{
  DESK_CLI_ERROR_USAGE,    /* a wrong command line: exit status 2 */
  DESK_CLI_ERROR_OUTPUT,   /* standard output cannot be written */
  DESK_CLI_ERROR_FAILED,   /* anything else */
} DeskCliError;

typedef struct _DeskCli        DeskCli;
typedef struct _DeskCliCommand DeskCliCommand;

/* One run of front-desk-admin: the global options and what the command
 * opened.  Commands that act as a member (--as) will find them here too. */
struct _DeskCli
{
  char      *database;      /* --database FILE */
  char      *as;            /* --as USERNAME */
  DeskStore *store;         /* opened on demand by desk_cli_open_store() */
  DeskSession *session;     /* signed in on demand by desk_cli_sign_in() */
  char      *password;      /* kept by desk_cli_sign_in_for_change() until
                             * desk_cli_confirm(), in memory libsodium guards */
  gboolean   progress_shown; /* a progress line is on the terminal */
  int        progress_percent; /* what it shows */
};

/* Runs @command.  @args holds the command's own arguments after its name,
 * with the program name as args[0]; the command parses its options from it
 * with desk_cli_parse_options(). */
typedef gboolean (*DeskCliRunFunc) (DeskCli               *cli,
                                    const DeskCliCommand  *command,
                                    char                ***args,
                                    GError               **error);

struct _DeskCliCommand
{
  const char     *group;      /* "members", or NULL for a command of its own ("init") */
  const char     *name;       /* "list" */
  const char     *parameters; /* positional arguments for --help, translatable, or NULL */
  const char     *summary;    /* one line for --help, translatable */
  DeskCliRunFunc  run;
};

GQuark      desk_cli_error_quark        (void);

void        desk_cli_set_usage_error    (GError               **error,
                                         const char            *format,
                                         ...) G_GNUC_PRINTF (2, 3);

/* Parses the options of @command (@entries and the global ones) out of
 * @args, leaving the positional arguments; fails unless there are between
 * @min_args and @max_args of them. */
gboolean    desk_cli_parse_options      (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         const GOptionEntry    *entries,
                                         char                ***args,
                                         guint                  min_args,
                                         guint                  max_args,
                                         GError               **error);

/* Parses a whole number given to @option, between @min and @max. */
gboolean    desk_cli_parse_number       (const char            *option,
                                         const char            *value,
                                         guint64                min,
                                         guint64                max,
                                         guint64               *number,
                                         GError               **error);

/* --database, or a usage error if it was not given. */
const char *desk_cli_get_database       (DeskCli               *cli,
                                         GError               **error);
/* Opens the existing clinic database given with --database. */
DeskStore  *desk_cli_open_store         (DeskCli               *cli,
                                         GError               **error);

/* Signs in as the member given with --as, reading the password from
 * standard input (one line; without echo on a terminal), and requires
 * @permission of them (DESK_CLI_ANY_MEMBER: being a member who can sign in).
 * Commands call it before they read or write anything else. */
#define DESK_CLI_ANY_MEMBER ((DeskPermission) 0)

DeskSession *desk_cli_sign_in           (DeskCli               *cli,
                                         DeskPermission         permission,
                                         GError               **error);

/* The same for a sensitive change: the password read from standard input
 * is kept (guarded) for desk_cli_confirm(), so that the member types it
 * once, as with `sudo`.  Without --as's password nothing is changed. */
DeskSession *desk_cli_sign_in_for_change (DeskCli          *cli,
                                          DeskPermission    permission,
                                          GError          **error);
/* Re-authenticates the signed-in member with the password kept by
 * desk_cli_sign_in_for_change(), just before the sensitive change, and
 * wipes it. */
gboolean    desk_cli_confirm            (DeskCli               *cli,
                                         GError               **error);

/* A member by username, or by number when no username matches
 * (DESK_STORE_ERROR_NO_SUCH_RECORD otherwise). */
DeskMember *desk_cli_find_member        (DeskStore             *store,
                                         const char            *name,
                                         GError               **error);

/* The longest password read from standard input, in bytes: far more than
 * anyone types, little enough to hash at once. */
#define DESK_CLI_PASSWORD_MAX 65536

/* One line of standard input (without echo on a terminal), at most
 * DESK_CLI_PASSWORD_MAX bytes, in memory libsodium guards: free it with
 * sodium_free(), which wipes it.  Without input, fails with @missing, a
 * usage error. */
char       *desk_cli_read_password      (const char            *missing,
                                         GError               **error);

/* Checks the text of --search, given as G_OPTION_ARG_FILENAME (GLib would
 * convert a string and fail in its own words), and turns it into UTF-8:
 * a usage error that says what is wrong otherwise. */
gboolean    desk_cli_check_search       (char                 **search,
                                         GError               **error);

/* Output, always UTF-8 on standard output. */
gboolean    desk_cli_write              (GString               *buffer,
                                         GError               **error);
gboolean    desk_cli_flush              (GError               **error);

/* Progress of long work, on standard error when it is a terminal. */
void        desk_cli_show_progress      (DeskCli               *cli,
                                         const char            *what,
                                         double                 fraction);
void        desk_cli_clear_progress     (DeskCli               *cli);

/* Text output: values with their control characters (tabs, new lines)
 * turned into spaces, so that one record stays on one line. */
void        desk_cli_append_text        (GString               *out,
                                         const char            *value);
/* Appends one tab-separated line of @n_fields fields. */
void        desk_cli_append_row         (GString               *out,
                                         const char * const    *fields,
                                         guint                  n_fields);

/* Label and value lines of the show commands, labels aligned. */
typedef struct _DeskCliFields DeskCliFields;

DeskCliFields *desk_cli_fields_new      (void);
void        desk_cli_fields_add         (DeskCliFields         *fields,
                                         const char            *label,
                                         const char            *value);
void        desk_cli_fields_add_printf  (DeskCliFields         *fields,
                                         const char            *label,
                                         const char            *format,
                                         ...) G_GNUC_PRINTF (3, 4);
void        desk_cli_fields_append      (DeskCliFields         *fields,
                                         GString               *out);
void        desk_cli_fields_free        (DeskCliFields         *fields);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskCliFields, desk_cli_fields_free)

/* Streams a list, as a table with a header line or as one JSON array, row by
 * row: a million clients never sit in memory at once. */
typedef void (*DeskCliRowFunc) (GString *out,
                                gpointer item);

typedef struct
{
  gboolean        json;
  guint64         limit;      /* G_MAXUINT64: no limit */
  guint64         written;
  DeskCliRowFunc  text_row;   /* appends one table line */
  DeskCliRowFunc  json_row;   /* appends one JSON object */
  GString        *buffer;
} DeskCliListWriter;

void        desk_cli_list_writer_init   (DeskCliListWriter     *writer,
                                         gboolean               json,
                                         guint64                limit,
                                         DeskCliRowFunc         text_row,
                                         DeskCliRowFunc         json_row);
gboolean    desk_cli_list_writer_begin  (DeskCliListWriter     *writer,
                                         const char * const    *header,
                                         guint                  n_columns,
                                         GError               **error);
/* Writes the items of @model, up to the limit. */
gboolean    desk_cli_list_writer_add    (DeskCliListWriter     *writer,
                                         GListModel            *model,
                                         GError               **error);
gboolean    desk_cli_list_writer_end    (DeskCliListWriter     *writer,
                                         GError               **error);
void        desk_cli_list_writer_clear  (DeskCliListWriter     *writer);

/* The commands */
gboolean    desk_cli_run_init           (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_members_add_first_admin (DeskCli        *cli,
                                                  const DeskCliCommand *command,
                                                  char         ***args,
                                                  GError        **error);
gboolean    desk_cli_run_members_list   (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_members_show   (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_members_deactivate (DeskCli           *cli,
                                             const DeskCliCommand *command,
                                             char            ***args,
                                             GError           **error);
gboolean    desk_cli_run_members_reactivate (DeskCli           *cli,
                                             const DeskCliCommand *command,
                                             char            ***args,
                                             GError           **error);
gboolean    desk_cli_run_messages_deliver (DeskCli             *cli,
                                           const DeskCliCommand *command,
                                           char              ***args,
                                           GError             **error);
gboolean    desk_cli_run_clients_list   (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_clients_show   (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_clients_discharge (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_clients_activate (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_clients_portal (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_clients_share (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_clients_unshare (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_clients_sees (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_portal_accept_invitation (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_portal_sign_in (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_audit_verify   (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_check          (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);
gboolean    desk_cli_run_audit_export   (DeskCli               *cli,
                                         const DeskCliCommand  *command,
                                         char                ***args,
                                         GError               **error);

G_END_DECLS
