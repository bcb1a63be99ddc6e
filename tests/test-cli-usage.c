/* test-cli-usage.c: front-desk-admin as a person meets it: --help for each
 * group of commands, list filters that default alike, every error a
 * sentence with its full stop (in English and in French), its quotes in a
 * plain C locale, and what --seed promises
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test spawns the built binary ($FRONT_DESK_ADMIN); the French runs
 * read the catalogue built in the build tree (DESK_TEST_LOCALEDIR).
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>

#include "desk-demo.h"
#include "desk-test-cli.h"
#include "desk-test-util.h"

#define EXIT_FAILED 1
#define EXIT_USAGE  2

static char *shared_dir;
static char *shared_db;

#define run(result, ...) \
  run_input_argv (result, "", (const char *[]) { __VA_ARGS__, NULL })

/* Helpers */

static const char *
shared_demo (void)
{
  if (shared_db == NULL)
    {
      g_auto(Result) result = { 0 };

      shared_dir = desk_test_dir_new ();
      shared_db = g_build_filename (shared_dir, "demo.db", NULL);
      /* This seed has deactivated members and inactive clients. */
      run (&result, "--database", shared_db, "init", "--demo", "--clients", "50", "--seed", "3");
      assert_success (&result);
    }
  return shared_db;
}

static char *
sql_text (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

/* The test's environment in French, with the catalogue of the build tree. */
static char **
french_environ (void)
{
  char **envp = g_get_environ ();

  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "fr", TRUE);
  envp = g_environ_setenv (envp, "FRONT_DESK_LOCALEDIR", DESK_TEST_LOCALEDIR, TRUE);
  return envp;
}

/* The test's environment in the plain locale @locale ("C", "POSIX") given
 * as @variable, as a bare server or `env -i` has it. */
static char **
plain_environ (const char *variable,
               const char *locale)
{
  static const char *unset[] = {
    "LC_ALL", "LANG", "LANGUAGE", "LC_CTYPE", "LC_MESSAGES", "LC_NUMERIC", "LC_TIME",
    "LC_COLLATE", "LC_MONETARY", "FRONT_DESK_LOCALEDIR",
  };
  char **envp = g_get_environ ();

  for (guint i = 0; i < G_N_ELEMENTS (unset); i++)
    envp = g_environ_unsetenv (envp, unset[i]);
  return g_environ_setenv (envp, variable, locale, TRUE);
}

static void
run_env_argv (Result             *result,
              char              **envp,
              const char         *input,
              const char * const *args)
{
  g_autoptr(GSubprocess) process = spawn_full_argv ((const char * const *) envp, NULL, input,
                                                    args);

  finish (result, process);
}

/* What a person reads: one line after the program's name, a sentence that
 * starts with a capital, an option or a quoted name (“” in English, « » in
 * French) and ends with its full stop. */
static void
assert_sentence (const char *err)
{
  const char *message;
  gunichar first;
  gsize length;

  g_assert_true (g_str_has_prefix (err, "front-desk-admin: "));
  message = err + strlen ("front-desk-admin: ");
  length = strlen (message);
  g_assert_cmpuint (length, >, 2);
  g_assert_true (strchr (message, '\n') == message + length - 1);
  if (!g_str_has_suffix (message, ".\n"))
    g_error ("not a sentence with its full stop: %s", message);
  first = g_utf8_get_char (message);
  if (!g_unichar_isupper (first) && first != '-' && first != 0x201c /* “ */ &&
      first != 0xab /* « */)
    g_error ("not the start of a sentence: %s", message);
  /* Nothing a conversion to ASCII would have left. */
  g_assert_null (strchr (message, '?'));
}

/* Runs a command that must fail with @status and, when @message is given,
 * exactly that English message; then the same in French, a sentence too. */
static void
check_error_argv (const char         *input,
                  int                 status,
                  const char         *message,
                  const char * const *args)
{
  g_auto(Result) result = { 0 };
  g_auto(GStrv) french = french_environ ();
  g_autofree char *english = NULL;

  run_input_argv (&result, input, args);
  assert_failure (&result, status, "");
  assert_sentence (result.err);
  if (message != NULL)
    {
      g_autofree char *expected = g_strconcat ("front-desk-admin: ", message, "\n", NULL);

      g_assert_cmpstr (result.err, ==, expected);
    }
  english = g_strdup (result.err);

  run_env_argv (&result, french, input, args);
  assert_failure (&result, status, "");
  assert_sentence (result.err);
  /* Our own words are translated; GLib's are as its catalogues have them. */
  if (message != NULL && !g_str_has_prefix (message, "Unknown option") &&
      !g_str_has_prefix (message, "Missing argument"))
    g_assert_cmpstr (result.err, !=, english);
}

#define check_error(input, status, message, ...) \
  check_error_argv (input, status, message, (const char *[]) { __VA_ARGS__, NULL })

/* Tests */

static void
test_group_help (void)
{
  static const struct
  {
    const char *group;
    const char *commands[8];
    const char *not_here;
  } groups[] = {
    { "members", { "add-first-admin", "list", "show", "deactivate", "reactivate" }, "verify" },
    { "audit", { "verify", "export" }, "list" },
    { "clients", { "list", "show", "discharge", "activate", "portal", "share", "unshare", "sees" },
      "deactivate" },
    { "messages", { "deliver" }, "list" },
    { "portal", { "accept-invitation", "sign-in" }, "export" },
  };
  static const char *flags[] = { "--help", "-h" };
  g_auto(Result) result = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    for (guint f = 0; f < G_N_ELEMENTS (flags); f++)
      {
        g_autofree char *usage = g_strdup_printf ("Usage:\n  front-desk-admin %s COMMAND "
                                                  "[OPTION…]\n\nCommands:\n", groups[i].group);
        g_autofree char *hint = g_strdup_printf ("\nRun “front-desk-admin %s COMMAND --help” to "
                                                 "see the options of a command.\n",
                                                 groups[i].group);
        g_autofree char *other = g_strdup_printf ("\n  %s ", groups[i].not_here);

        run (&result, groups[i].group, flags[f]);
        assert_success (&result);
        g_assert_true (g_str_has_prefix (result.out, usage));
        g_assert_true (g_str_has_suffix (result.out, hint));
        for (guint c = 0; c < G_N_ELEMENTS (groups[i].commands) && groups[i].commands[c]; c++)
          {
            g_autofree char *line = g_strdup_printf ("\n  %s ", groups[i].commands[c]);

            g_assert_nonnull (strstr (result.out, line));
          }
        /* Only the group's own commands. */
        g_assert_null (strstr (result.out, other));
      }

  /* The global options may come first, as with any command. */
  run (&result, "--database", "nowhere.db", "members", "--help");
  assert_success (&result);
  g_assert_true (g_str_has_prefix (result.out, "Usage:\n  front-desk-admin members "));

  /* A command's own --help is GOption's, as it was. */
  run (&result, "members", "list", "--help");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "--status=STATUS"));

  /* Without --help, a group alone is still a mistake. */
  run (&result, "members");
  assert_failure (&result, EXIT_USAGE, "“members” needs a command: add-first-admin, list, show, "
                                       "deactivate, reactivate.");
  run (&result, "audit", "--helpme");
  assert_failure (&result, EXIT_USAGE, "“audit” has no command “--helpme”; it has: verify, "
                                       "export.");
}

static void
test_status_defaults (void)
{
  const char *db = shared_demo ();
  g_auto(Result) plain = { 0 };
  g_auto(Result) all = { 0 };

  /* Members: every member unless --status says otherwise... */
  run_admin (&plain, db, "members", "list");
  assert_success (&plain);
  run_admin (&all, db, "members", "list", "--status", "all");
  assert_success (&all);
  g_assert_cmpstr (plain.out, ==, all.out);
  g_assert_nonnull (strstr (plain.out, "\tactive\t"));
  g_assert_nonnull (strstr (plain.out, "\tdeactivated\t"));
  run_admin (&plain, db, "members", "list", "--json");
  assert_success (&plain);
  run_admin (&all, db, "members", "list", "--json", "--status", "all");
  assert_success (&all);
  g_assert_cmpstr (plain.out, ==, all.out);

  /* ...as clients. */
  run_admin (&plain, db, "clients", "list");
  assert_success (&plain);
  run_admin (&all, db, "clients", "list", "--status", "all");
  assert_success (&all);
  g_assert_cmpstr (plain.out, ==, all.out);
  g_assert_nonnull (strstr (plain.out, "\tactive\t"));
  g_assert_nonnull (strstr (plain.out, "\tinactive\t"));

  /* And each help says so, in the same words. */
  run (&plain, "members", "list", "--help");
  assert_success (&plain);
  g_assert_nonnull (strstr (plain.out, "Which members: active, deactivated or all (the default)\n"));
  run (&plain, "clients", "list", "--help");
  assert_success (&plain);
  g_assert_nonnull (strstr (plain.out, "Which clients: active, inactive or all (the default)\n"));
}

static void
test_errors_are_sentences (void)
{
  const char *db = shared_demo ();
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *missing = g_build_filename (dir, "missing.db", NULL);
  g_autofree char *not_clinic = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *existing = g_build_filename (dir, "export.csv", NULL);
  g_autofree char *no_folder = g_build_filename (dir, "no-folder", "export.csv", NULL);
  g_autofree char *no_body = g_build_filename (dir, "no-body.txt", NULL);
  g_autofree char *new_db = g_build_filename (dir, "new.db", NULL);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  const char *password = DESK_DEMO_PASSWORD "\n";

  g_file_set_contents (not_clinic, "Not a clinic, just notes.\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (existing, "", -1, &error);
  g_assert_no_error (error);

  /* The command line */
  check_error ("", EXIT_USAGE,
               "No command given. Run “front-desk-admin --help” to see the commands.",
               "--database", db);
  check_error ("", EXIT_USAGE,
               "Unknown command “frob”. Run “front-desk-admin --help” to see the commands.",
               "frob");
  check_error ("", EXIT_USAGE, "“members” has no command “frob”; it has: add-first-admin, list, "
                               "show, deactivate, reactivate.",
               "members", "frob");
  /* GOption's words, ended and pointed at the right --help. */
  check_error ("", EXIT_USAGE,
               "Unknown option --frob. Run “front-desk-admin --help” to see the options.",
               "--frob");
  check_error ("", EXIT_USAGE, "Unknown option --frob. Run “front-desk-admin members list "
                               "--help” to see the options.",
               "members", "list", "--frob");
  check_error ("", EXIT_USAGE, "Missing argument for --limit. Run “front-desk-admin members list "
                               "--help” to see the options.",
               "members", "list", "--limit");
  check_error ("", EXIT_USAGE, "“members show” needs USERNAME|ID.", "members", "show");
  check_error ("", EXIT_USAGE, "Unexpected argument “extra” for “members list”.",
               "members", "list", "extra");
  check_error ("", EXIT_USAGE, "No clinic database given: use --database FILE.",
               "--as", "admin", "members", "list");
  check_error ("", EXIT_USAGE, "--members, --clients and --seed need --demo.",
               "--database", new_db, "init", "--seed", "4");
  check_error ("", EXIT_USAGE, "--limit must be a whole number of 0 or more.",
               "--database", db, "members", "list", "--limit", "many");
  check_error ("", EXIT_USAGE, "--status must be active, deactivated or all, not “gone”.",
               "--database", db, "members", "list", "--status", "gone");
  check_error ("", EXIT_USAGE, "--status must be active, inactive or all, not “gone”.",
               "--database", db, "clients", "list", "--status", "gone");
  check_error ("", EXIT_USAGE, "--portal must be enabled, disabled or all, not “on”.",
               "--database", db, "clients", "list", "--portal", "on");
  check_error ("", EXIT_USAGE, "--format must be csv or json, not “xml”.",
               "--database", db, "audit", "export", "--format", "xml");
  check_error ("", EXIT_USAGE, "--since must be a date written YYYY-MM-DD, not “May”.",
               "--database", db, "audit", "export", "--since", "May");
  check_error ("", EXIT_USAGE, "“abc” is not a client number: give the ID that “clients list” "
                               "shows.",
               "--database", db, "clients", "show", "abc");
  check_error (password, EXIT_USAGE, "--search: A search can have at most 16 words. Search for "
                                     "fewer words.",
               "--database", db, "--as", "admin", "members", "list", "--search",
               "a b c d e f g h i j k l m n o p q");
  check_error ("", EXIT_USAGE, NULL, "--database", db, "audit", "verify", "--receipt", "x");

  /* Signing in */
  check_error ("", EXIT_USAGE, "This command needs --as USERNAME, the member it acts as; their "
                               "password is read from standard input.",
               "--database", db, "members", "list");
  check_error ("", EXIT_USAGE, "No password on standard input: give the password of the member "
                               "named with --as.",
               "--database", db, "--as", "admin", "members", "list");
  check_error ("wrong\n", EXIT_FAILED, "The username or password is not right. Check them and "
                                       "try again.",
               "--database", db, "--as", "admin", "members", "list");

  /* The clinic's file and the model's refusals */
  message = g_strdup_printf ("There is no clinic database at “%s”.", missing);
  check_error (password, EXIT_FAILED, message,
               "--database", missing, "--as", "admin", "members", "list");
  g_free (message);
  message = g_strdup_printf ("“%s” is not a clinic database.", not_clinic);
  check_error ("", EXIT_FAILED, message, "--database", not_clinic, "check");
  g_free (message);
  message = g_strdup_printf ("A file already exists at “%s”; Front Desk will not overwrite it.", db);
  check_error ("", EXIT_FAILED, message, "--database", db, "init");
  g_free (message);
  check_error ("", EXIT_FAILED, "A demo clinic needs at least 6 members.",
               "--database", new_db, "init", "--demo", "--members", "2", "--clients", "10");
  check_error (password, EXIT_FAILED, "There is no client with number 99999 in this clinic.",
               "--database", db, "--as", "admin", "clients", "show", "99999");
  check_error (password, EXIT_USAGE, "--member: There is no member “nobody” in this clinic.",
               "--database", db, "--as", "admin", "audit", "export", "--member", "nobody");

  /* Files the command reads and writes: the system's reason, ended */
  message = g_strdup_printf ("The message body “%s” cannot be read: No such file or directory.",
                             no_body);
  check_error (password, EXIT_FAILED, message,
               "--database", db, "--as", "admin", "messages", "deliver", "--to", "admin",
               "--subject", "Results", "--body-file", no_body);
  g_free (message);
  message = g_strdup_printf ("“%s” already exists: an export never replaces a file. Give a new "
                             "name to --output.", existing);
  check_error (password, EXIT_FAILED, message,
               "--database", db, "--as", "admin", "audit", "export", "--output", existing);
  g_free (message);
  message = g_strdup_printf ("The export “%s” cannot be created: No such file or directory.",
                             no_folder);
  check_error (password, EXIT_FAILED, message,
               "--database", db, "--as", "admin", "audit", "export", "--output", no_folder);
}

/* Standard output that cannot take what is written: the system's reason,
 * in the same sentence for a list and for the audit export, whose stream
 * GIO writes. */
static void
test_output_errors (void)
{
  static const char *commands[][4] = {
    { "members", "list", NULL },
    { "audit", "export", NULL },
    { "audit", "export", "--format", "json" },
  };
  const char *db = shared_demo ();

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autoptr(GSubprocess) process = NULL;
      g_auto(Result) result = { 0 };

      g_ptr_array_add (args, (gpointer) "--database");
      g_ptr_array_add (args, (gpointer) db);
      g_ptr_array_add (args, (gpointer) "--as");
      g_ptr_array_add (args, (gpointer) "admin");
      for (guint a = 0; a < G_N_ELEMENTS (commands[i]) && commands[i][a] != NULL; a++)
        g_ptr_array_add (args, (gpointer) commands[i][a]);
      g_ptr_array_add (args, NULL);

      process = spawn_full_argv (NULL, "/dev/full", DESK_DEMO_PASSWORD "\n",
                                 (const char * const *) args->pdata);
      finish (&result, process);
      g_assert_cmpint (result.status, ==, EXIT_FAILED);
      g_assert_cmpstr (result.err, ==, "front-desk-admin: The output cannot be written: No space "
                                       "left on device.\n");
    }
}

/* In the plain C or POSIX locale of a bare server the program still writes
 * its quotes and ellipses, not "?", and takes UTF-8 arguments. */
static void
test_plain_c_locale (void)
{
  static const char *locales[][2] = {
    { "LC_ALL", "C" },
    { "LANG", "C" },
    { "LC_ALL", "POSIX" },
  };
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();

  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    {
      g_auto(GStrv) envp = plain_environ (locales[i][0], locales[i][1]);
      g_autofree char *name = g_strdup_printf ("clinic-%u.db", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_auto(Result) result = { 0 };

      g_test_message ("%s=%s", locales[i][0], locales[i][1]);

      /* An error, on standard error. */
      run_env_argv (&result, envp, "", (const char *[]) { "frob", NULL });
      g_assert_cmpint (result.status, ==, EXIT_USAGE);
      g_assert_cmpstr (result.err, ==, "front-desk-admin: Unknown command “frob”. Run "
                                       "“front-desk-admin --help” to see the commands.\n");

      /* GOption's --help, printed by GLib. */
      run_env_argv (&result, envp, "", (const char *[]) { "--help", NULL });
      assert_success (&result);
      g_assert_nonnull (strstr (result.out, "front-desk-admin [OPTION…] COMMAND [OPTION…]"));
      g_assert_nonnull (strstr (result.out, "Share one of a client’s documents"));
      g_assert_null (strchr (result.out, '?'));

      /* A group's help and the command's own output. */
      run_env_argv (&result, envp, "", (const char *[]) { "members", "--help", NULL });
      assert_success (&result);
      g_assert_nonnull (strstr (result.out, "Run “front-desk-admin members COMMAND --help”"));

      /* Messages stay in English: only the character set is UTF-8. */
      run_env_argv (&result, envp, "",
                    (const char *[]) { "--database", path, "init", "--name", "Clinique des Érables",
                                       NULL });
      assert_success (&result);
      g_assert_true (g_str_has_prefix (result.out, "Created the clinic “Clinique des Érables”"));
    }
}

/* What the help of --seed says is what happens: the same seed, sizes and
 * day give the same people and records; the clinic's ID, the password
 * hashes and the audit log are new each time. */
static void
test_seed (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *first = g_build_filename (dir, "first.db", NULL);
  g_autofree char *second = g_build_filename (dir, "second.db", NULL);
  g_autofree char *other = g_build_filename (dir, "other.db", NULL);
  static const char *same[][4] = {
    { "members", "list", "--json", NULL },
    { "members", "show", "admin", "--json" },
    { "members", "show", "2", "--json" },
    { "clients", "list", "--json", NULL },
    { "clients", "show", "1", "--json" },
    { "clients", "show", "7", "--json" },
    { "clients", "sees", "1", "--json" },
  };
  g_auto(Result) a = { 0 };
  g_auto(Result) b = { 0 };

  run (&a, "init", "--help");
  assert_success (&a);
  g_assert_nonnull (strstr (a.out, "--seed=S  "));
  g_assert_nonnull (strstr (a.out, "Seed of the demo data (default: 2026, as front-desk --demo). "
                                   "The same seed, --members and --clients, on the same day (UTC) "
                                   "and in the same language, give the same members, clients and "
                                   "records with the same numbers and dates; the clinic’s own ID, "
                                   "the password hashes and the audit log differ every time.\n"));

  /* The two made on one day (UTC): made again if midnight came between. */
  for (guint attempt = 0; ; attempt++)
    {
      gint64 day = g_get_real_time () / G_USEC_PER_SEC / 86400;

      g_unlink (first);
      g_unlink (second);
      run (&a, "--database", first, "init", "--demo", "--clients", "40", "--seed", "11");
      assert_success (&a);
      run (&b, "--database", second, "init", "--demo", "--clients", "40", "--seed", "11");
      assert_success (&b);
      if (g_get_real_time () / G_USEC_PER_SEC / 86400 == day || attempt > 0)
        break;
    }
  run (&a, "--database", other, "init", "--demo", "--clients", "40", "--seed", "12");
  assert_success (&a);

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      run_admin (&a, first, same[i][0], same[i][1], same[i][2], same[i][3]);
      assert_success (&a);
      run_admin (&b, second, same[i][0], same[i][1], same[i][2], same[i][3]);
      assert_success (&b);
      g_assert_cmpstr (a.out, ==, b.out);
    }
  /* Another seed, other people. */
  run_admin (&a, first, "clients", "list", "--json");
  run_admin (&b, other, "clients", "list", "--json");
  assert_success (&b);
  g_assert_cmpstr (a.out, !=, b.out);

  /* What is made fresh each time. */
  {
    g_autofree char *uuid_a = sql_text (first, "SELECT uuid FROM clinic");
    g_autofree char *uuid_b = sql_text (second, "SELECT uuid FROM clinic");
    g_autofree char *hash_a = sql_text (first, "SELECT password_hash FROM members WHERE id = 1");
    g_autofree char *hash_b = sql_text (second, "SELECT password_hash FROM members WHERE id = 1");
    g_autofree char *log_a = sql_text (first, "SELECT hash FROM audit_log WHERE id = 2");
    g_autofree char *log_b = sql_text (second, "SELECT hash FROM audit_log WHERE id = 2");
    g_autofree char *details_a = sql_text (first, "SELECT details FROM audit_log WHERE id = 2");
    g_autofree char *details_b = sql_text (second, "SELECT details FROM audit_log WHERE id = 2");

    g_assert_cmpstr (uuid_a, !=, uuid_b);
    g_assert_cmpstr (hash_a, !=, hash_b);
    g_assert_cmpstr (log_a, !=, log_b);
    /* The same demo was recorded, in a chain of its own. */
    g_assert_cmpstr (details_a, ==, details_b);
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* This program's own messages in UTF-8, as the test environment says. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-usage/group-help", test_group_help);
  g_test_add_func ("/cli-usage/status-defaults", test_status_defaults);
  g_test_add_func ("/cli-usage/errors-are-sentences", test_errors_are_sentences);
  g_test_add_func ("/cli-usage/output-errors", test_output_errors);
  g_test_add_func ("/cli-usage/plain-c-locale", test_plain_c_locale);
  g_test_add_func ("/cli-usage/seed", test_seed);

  status = g_test_run ();

  if (shared_dir != NULL)
    desk_test_dir_free (shared_dir);
  g_free (shared_db);
  return status;
}
