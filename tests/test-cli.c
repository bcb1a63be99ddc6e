/* test-cli.c: front-desk-admin, run as a program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test spawns the built binary ($FRONT_DESK_ADMIN) on databases in a
 * temporary folder and checks its exit status, standard output and standard
 * error.  A failure must exit non-zero with exactly one line on standard
 * error, nothing on standard output, and leave every file as it was.
 *
 * One file, for one harness: every test below runs the program through it
 * (run(), run_input(), run_as()) and checks what it printed the same way.
 *
 * Passwords go to the program through a file on its standard input, never a
 * pipe: a program that fails before reading (a usage error) would make the
 * test write into a closed pipe and die of SIGPIPE instead of failing with a
 * message.  SIGPIPE is ignored too, so that no other pipe can do that.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "desk-demo.h"
#include "desk-test-util.h"

#define EXIT_FAILED 1
#define EXIT_USAGE  2

/* The shared demo clinic: read-only tests use it. */
#define DEMO_CLIENTS "200"
#define DEMO_SEED    "5"

static char *shared_dir;
static char *shared_db;

/* A parsed JSON value: the output is checked for real, not by looking for brackets. */

typedef enum
{
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT,
} JsonType;

typedef struct _Json Json;

struct _Json
{
  JsonType   type;
  gboolean   boolean;
  double     number;
  char      *string;
  GPtrArray *items;   /* Json *: elements of an array, values of an object */
  GPtrArray *keys;    /* char *: keys of an object, in order */
};

typedef struct
{
  const char *p;
  const char *error;
} JsonParser;

static void
json_free (Json *json)
{
  if (json == NULL)
    return;
  g_free (json->string);
  g_clear_pointer (&json->items, g_ptr_array_unref);
  g_clear_pointer (&json->keys, g_ptr_array_unref);
  g_free (json);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Json, json_free)

static Json *json_parse_value (JsonParser *parser,
                               guint       depth);

static void
json_skip_space (JsonParser *parser)
{
  while (*parser->p == ' ' || *parser->p == '\t' || *parser->p == '\n' || *parser->p == '\r')
    parser->p++;
}

static gboolean
json_fail (JsonParser *parser,
           const char *message)
{
  if (parser->error == NULL)
    parser->error = message;
  return FALSE;
}

static int
json_hex4 (const char *p)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

static char *
json_parse_string (JsonParser *parser)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (*parser->p != '"')
    {
      json_fail (parser, "expected a string");
      return NULL;
    }
  parser->p++;

  while (*parser->p != '"')
    {
      guchar c = (guchar) *parser->p;

      if (c == '\0')
        {
          json_fail (parser, "unterminated string");
          return NULL;
        }
      if (c < 0x20)
        {
          json_fail (parser, "raw control character in a string");
          return NULL;
        }
      if (c != '\\')
        {
          g_string_append_c (out, (char) c);
          parser->p++;
          continue;
        }

      parser->p++;
      switch (*parser->p)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            int unit = json_hex4 (parser->p + 1);
            gunichar ch;

            if (unit < 0)
              {
                json_fail (parser, "bad \\u escape");
                return NULL;
              }
            parser->p += 4;
            ch = (gunichar) unit;
            if (unit >= 0xd800 && unit < 0xdc00)
              {
                int low = parser->p[1] == '\\' && parser->p[2] == 'u'
                            ? json_hex4 (parser->p + 3) : -1;

                if (low < 0xdc00 || low >= 0xe000)
                  {
                    json_fail (parser, "lone surrogate");
                    return NULL;
                  }
                ch = 0x10000 + (((gunichar) unit - 0xd800) << 10) + ((gunichar) low - 0xdc00);
                parser->p += 6;
              }
            else if (unit >= 0xdc00 && unit < 0xe000)
              {
                json_fail (parser, "lone surrogate");
                return NULL;
              }
            g_string_append_unichar (out, ch);
          }
          break;
        default:
          json_fail (parser, "bad escape");
          return NULL;
        }
      parser->p++;
    }
  parser->p++;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
json_parse_number (JsonParser *parser,
                   double     *number)
{
  const char *start = parser->p;
  const char *p = start;
  g_autofree char *text = NULL;

  if (*p == '-')
    p++;
  if (*p == '0')
    p++;
  else if (g_ascii_isdigit (*p))
    while (g_ascii_isdigit (*p))
      p++;
  else
    return json_fail (parser, "bad number");
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return json_fail (parser, "bad fraction");
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return json_fail (parser, "bad exponent");
      while (g_ascii_isdigit (*p))
        p++;
    }

  text = g_strndup (start, (gsize) (p - start));
  *number = g_ascii_strtod (text, NULL);
  parser->p = p;
  return TRUE;
}

static Json *
json_new (JsonType type)
{
  Json *json = g_new0 (Json, 1);

  json->type = type;
  if (type == JSON_ARRAY || type == JSON_OBJECT)
    json->items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_free);
  if (type == JSON_OBJECT)
    json->keys = g_ptr_array_new_with_free_func (g_free);
  return json;
}

static Json *
json_parse_container (JsonParser *parser,
                      guint       depth)
{
  gboolean object = *parser->p == '{';
  char close = object ? '}' : ']';
  g_autoptr(Json) json = json_new (object ? JSON_OBJECT : JSON_ARRAY);

  parser->p++;
  json_skip_space (parser);
  if (*parser->p == close)
    {
      parser->p++;
      return g_steal_pointer (&json);
    }

  for (;;)
    {
      Json *value;

      json_skip_space (parser);
      if (object)
        {
          char *key = json_parse_string (parser);

          if (key == NULL)
            return NULL;
          for (guint i = 0; i < json->keys->len; i++)
            if (g_str_equal (g_ptr_array_index (json->keys, i), key))
              {
                g_free (key);
                json_fail (parser, "duplicate key");
                return NULL;
              }
          g_ptr_array_add (json->keys, key);
          json_skip_space (parser);
          if (*parser->p != ':')
            {
              json_fail (parser, "expected ':'");
              return NULL;
            }
          parser->p++;
        }

      value = json_parse_value (parser, depth + 1);
      if (value == NULL)
        return NULL;
      g_ptr_array_add (json->items, value);

      json_skip_space (parser);
      if (*parser->p == ',')
        {
          parser->p++;
          continue;
        }
      if (*parser->p == close)
        {
          parser->p++;
          return g_steal_pointer (&json);
        }
      json_fail (parser, "expected ',' or the end of a container");
      return NULL;
    }
}

static Json *
json_parse_value (JsonParser *parser,
                  guint       depth)
{
  Json *json;

  if (depth > 32)
    {
      json_fail (parser, "nested too deep");
      return NULL;
    }

  json_skip_space (parser);
  switch (*parser->p)
    {
    case '{':
    case '[':
      return json_parse_container (parser, depth);
    case '"':
      {
        char *string = json_parse_string (parser);

        if (string == NULL)
          return NULL;
        json = json_new (JSON_STRING);
        json->string = string;
        return json;
      }
    case 't':
    case 'f':
    case 'n':
      {
        static const char *words[] = { "true", "false", "null" };

        for (guint i = 0; i < G_N_ELEMENTS (words); i++)
          if (g_str_has_prefix (parser->p, words[i]))
            {
              parser->p += strlen (words[i]);
              json = json_new (i == 2 ? JSON_NULL : JSON_BOOL);
              json->boolean = i == 0;
              return json;
            }
        json_fail (parser, "bad literal");
        return NULL;
      }
    default:
      {
        double number;

        if (!json_parse_number (parser, &number))
          return NULL;
        json = json_new (JSON_NUMBER);
        json->number = number;
        return json;
      }
    }
}

/* Parses a whole document, asserting that it is valid JSON. */
static Json *
json_parse (const char *text)
{
  JsonParser parser = { text, NULL };
  g_autoptr(Json) json = NULL;

  g_assert_true (g_utf8_validate (text, -1, NULL));

  json = json_parse_value (&parser, 0);
  if (json != NULL)
    {
      json_skip_space (&parser);
      if (*parser.p != '\0')
        json_fail (&parser, "text after the value");
    }
  if (parser.error != NULL)
    {
      g_test_message ("invalid JSON at offset %d: %s",
                      (int) (parser.p - text), parser.error);
      g_test_message ("%.200s", parser.p);
      g_test_fail ();
      return NULL;
    }

  return g_steal_pointer (&json);
}

static Json *
json_get (Json       *object,
          const char *key)
{
  g_assert_nonnull (object);
  g_assert_cmpint (object->type, ==, JSON_OBJECT);

  for (guint i = 0; i < object->keys->len; i++)
    if (g_str_equal (g_ptr_array_index (object->keys, i), key))
      return g_ptr_array_index (object->items, i);

  g_test_message ("no key “%s”", key);
  g_assert_not_reached ();
  return NULL;
}

static const char *
json_get_string (Json       *object,
                 const char *key)
{
  Json *value = json_get (object, key);

  g_assert_cmpint (value->type, ==, JSON_STRING);
  return value->string;
}

static gint64
json_get_int (Json       *object,
              const char *key)
{
  Json *value = json_get (object, key);

  g_assert_cmpint (value->type, ==, JSON_NUMBER);
  return (gint64) value->number;
}

static void write_file (const char *path,
                        const char *contents,
                        gssize      length);

/* Helpers: running the program */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
run_argv (Result             *result,
          const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) line = g_string_new ("$ front-desk-admin");
  const char *program = g_getenv ("FRONT_DESK_ADMIN");
  int wait_status = 0;

  g_assert_nonnull (program);
  result_clear (result);

  g_ptr_array_add (argv, (gpointer) program);
  for (guint i = 0; args[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (gpointer) args[i]);
      desk_test_append_arg (line, args[i]);
    }
  g_ptr_array_add (argv, NULL);
  g_test_message ("%s", line->str);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                &result->out, &result->err, &wait_status, &error);
  g_assert_no_error (error);

  /* Exited, not killed by a signal (a crash is never an error message). */
  g_assert_true (WIFEXITED (wait_status));
  result->status = WEXITSTATUS (wait_status);
  if (result->err[0] != '\0')
    g_test_message ("stderr: %s", result->err);
}

#define run(result, ...) run_argv (result, (const char *[]) { __VA_ARGS__, NULL })

/* Runs with the @length bytes of @input (-1: a string) on standard input, a
 * password; from a file, see the top of this file. */
static void
run_input_len_argv (Result             *result,
                    const char         *input,
                    gssize              length,
                    const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) line = g_string_new ("$ front-desk-admin");
  g_autofree char *input_path = NULL;
  const char *program = g_getenv ("FRONT_DESK_ADMIN");
  int fd;

  g_assert_nonnull (program);
  result_clear (result);
  g_ptr_array_add (argv, (gpointer) program);
  for (guint i = 0; args[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (gpointer) args[i]);
      desk_test_append_arg (line, args[i]);
    }
  g_ptr_array_add (argv, NULL);
  g_test_message ("%s < (%" G_GSIZE_FORMAT " bytes)", line->str,
                  length < 0 ? strlen (input) : (gsize) length);

  fd = g_file_open_tmp ("test-cli-input-XXXXXX", &input_path, &error);
  g_assert_no_error (error);
  close (fd);
  write_file (input_path, input, length);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdin_file_path (launcher, input_path);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_unlink (input_path);
  g_assert_no_error (error);

  /* Exited, not killed by a signal (a crash is never an error message). */
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
  if (result->out == NULL)
    result->out = g_strdup ("");
  if (result->err == NULL)
    result->err = g_strdup ("");
  if (result->err[0] != '\0')
    g_test_message ("stderr: %s", result->err);
}

static void
run_input_argv (Result             *result,
                const char         *input,
                const char * const *args)
{
  run_input_len_argv (result, input, -1, args);
}

#define run_input(result, input, ...) \
  run_input_argv (result, input, (const char *[]) { __VA_ARGS__, NULL })

/* Runs as the demo administrator: --database @db --as admin, the password on
 * standard input, then the rest. */
static void
run_as_argv (Result             *result,
             const char         *db,
             const char * const *rest)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, (gpointer) "--database");
  g_ptr_array_add (args, (gpointer) db);
  g_ptr_array_add (args, (gpointer) "--as");
  g_ptr_array_add (args, (gpointer) DESK_DEMO_USERNAME);
  for (guint i = 0; rest[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) rest[i]);
  g_ptr_array_add (args, NULL);

  run_input_argv (result, DESK_DEMO_PASSWORD "\n", (const char * const *) args->pdata);
}

#define run_as(result, db, ...) \
  run_as_argv (result, db, (const char *[]) { __VA_ARGS__, NULL })

static void
assert_success (Result *result)
{
  g_assert_cmpstr (result->err, ==, "");
  g_assert_cmpint (result->status, ==, 0);
}

static guint
count_char (const char *text,
            char        c)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == c;
  return n;
}

/* The one way to fail: a status, one line on stderr, nothing on stdout. */
static void
assert_failure (Result *result,
                int     status)
{
  g_assert_cmpint (result->status, ==, status);
  g_assert_true (g_str_has_prefix (result->err, "front-desk-admin: "));
  g_assert_true (g_str_has_suffix (result->err, "\n"));
  g_assert_cmpuint (count_char (result->err, '\n'), ==, 1);
  g_assert_cmpuint (strlen (result->err), >, strlen ("front-desk-admin: x\n"));
  g_assert_cmpstr (result->out, ==, "");
}

/* The lines of @text, without the last empty one. */
static GStrv
split_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  g_assert_cmpuint (n, >, 0);
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_free (lines[n - 1]);
  lines[n - 1] = NULL;
  return g_steal_pointer (&lines);
}

/* Checks a table: a header, then rows with as many columns; returns the rows. */
static GPtrArray *
parse_table (const char *text,
             const char *first_heading,
             guint       n_columns)
{
  g_auto(GStrv) lines = split_lines (text);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_assert_nonnull (lines[0]);
  g_assert_true (g_str_has_prefix (lines[0], first_heading));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      GStrv fields = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, n_columns);
      if (i == 0)
        g_strfreev (fields);
      else
        g_ptr_array_add (rows, fields);
    }

  return rows;
}

#define MEMBER_COLUMNS 9
#define CLIENT_COLUMNS 9
#define CLIENT_STATUS_COLUMN 6
#define CLIENT_PORTAL_COLUMN 7

/* Helpers: files */

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static char *
file_checksum (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* Every file of @dir with its checksum. */
static GHashTable *
snapshot (const char *path)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  GDir *dir = g_dir_open (path, 0, &error);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_hash_table_insert (files, g_strdup (name), file_checksum (child));
    }
  g_dir_close (dir);

  return files;
}

/* Nothing half-written: every file of @before is there, byte for byte; a new
 * file may only be SQLite's shared-memory index or an empty write-ahead log
 * (opening a WAL database to check it makes those; they hold no data). */
static void
assert_untouched (const char *path,
                  GHashTable *before)
{
  g_autoptr(GHashTable) after = snapshot (path);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *checksum = g_hash_table_lookup (after, key);

      g_test_message ("checking %s", (const char *) key);
      g_assert_cmpstr (checksum, ==, value);
    }

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *child = g_build_filename (path, key, NULL);
      GStatBuf st;

      if (g_hash_table_contains (before, key))
        continue;

      g_test_message ("new file %s", (const char *) key);
      g_assert_cmpint (g_stat (child, &st), ==, 0);
      if (g_str_has_suffix (key, "-wal"))
        g_assert_cmpint (st.st_size, ==, 0);
      else
        g_assert_true (g_str_has_suffix (key, "-shm"));
    }
}

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (from, &contents, &length, &error);
  g_assert_no_error (error);
  write_file (to, contents, (gssize) length);
}

static void
create_demo (const char *path,
             const char *clients,
             const char *seed)
{
  g_auto(Result) result = { 0 };

  run (&result, "--database", path, "init", "--demo", "--clients", clients, "--seed", seed);
  assert_success (&result);
}

/* The demo clinic shared by the tests that only read. */
static const char *
shared_demo (void)
{
  if (shared_db == NULL)
    {
      shared_dir = make_tmp_dir ();
      shared_db = g_build_filename (shared_dir, "demo.db", NULL);
      create_demo (shared_db, DEMO_CLIENTS, DEMO_SEED);
    }

  return shared_db;
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* The same, behind the audit log's triggers, which are then put back as
 * they were: opening refuses a file whose triggers are missing. */
static void
exec_behind_triggers (const char *path,
                      const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  desk_test_exec_behind_triggers (db, "audit_log", sql);
  sqlite3_close (db);
}

/* Lower case without accents, as the search compares. */
static char *
fold (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (out, c);
    }

  return g_utf8_casefold (out->str, -1);
}

/* Tests: success */

static void
test_help (void)
{
  g_auto(Result) result = { 0 };

  run (&result, "--help");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "members list"));
  g_assert_nonnull (strstr (result.out, "clients show"));
  g_assert_nonnull (strstr (result.out, "--database"));

  run (&result, "members", "list", "--help");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "--status"));

  run (&result, "--version");
  assert_success (&result);
  g_assert_true (g_str_has_prefix (result.out, "front-desk-admin " PACKAGE_VERSION "\n"));
}

static void
test_init_demo (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_auto(Result) result = { 0 };
  g_auto(GStrv) lines = NULL;

  run (&result, "--database", path, "init", "--demo", "--clients", DEMO_CLIENTS,
       "--seed", DEMO_SEED, "--name", "Clinique des Érables");
  assert_success (&result);
  lines = split_lines (result.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_nonnull (strstr (lines[0], "200 clients"));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  run_as (&result, path, "clients", "list");
  assert_success (&result);
  {
    g_autoptr(GPtrArray) rows = parse_table (result.out, "ID\t", CLIENT_COLUMNS);

    g_assert_cmpuint (rows->len, ==, 200);
  }

  remove_tree (dir);
}

static void
test_init_empty (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_auto(Result) result = { 0 };

  run (&result, "init", "--database", path, "--name", "North Clinic");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "North Clinic"));
  g_assert_cmpuint (count_char (result.out, '\n'), ==, 1);

  /* Nobody can sign in yet, so nothing can be read. */
  run_as (&result, path, "members", "list");
  assert_failure (&result, EXIT_FAILED);
  g_assert_nonnull (strstr (result.err, "username or password is not right"));

  run_input (&result, "correct horse battery\n", "--database", path, "members",
             "add-first-admin", "ada", "--given-name", "Ada", "--family-name", "Ouellet",
             "--email", "ada@clinic.ca");
  assert_success (&result);

  run_input (&result, "correct horse battery\n", "--database", path, "--as", "ada",
             "members", "list");
  assert_success (&result);
  {
    g_autoptr(GPtrArray) rows = parse_table (result.out, "ID\t", MEMBER_COLUMNS);

    g_assert_cmpuint (rows->len, ==, 1);
  }

  run_input (&result, "correct horse battery\n", "--database", path, "--as", "ada",
             "clients", "list", "--json");
  assert_success (&result);
  {
    g_autoptr(Json) json = json_parse (result.out);

    g_assert_nonnull (json);
    g_assert_cmpint (json->type, ==, JSON_ARRAY);
    g_assert_cmpuint (json->items->len, ==, 0);
  }

  remove_tree (dir);
}

/* A new clinic gets its first administrator, who can then act with --as. */
static void
test_add_first_admin (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(Result) result = { 0 };

  run (&result, "init", "--database", path, "--name", "North Clinic");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "members add-first-admin"));

  /* Wrong use: exit 2, and nothing written. */
  before = file_checksum (path);
  run_input (&result, "correct horse battery\n", "--database", path, "members",
             "add-first-admin", "ada", "--given-name", "Ada");
  assert_failure (&result, 2);
  g_assert_nonnull (strstr (result.err, "--email"));
  run_input (&result, "correct horse battery\n", "--database", path, "members",
             "add-first-admin", "--given-name", "Ada", "--family-name", "Ouellet",
             "--email", "ada@clinic.ca");
  assert_failure (&result, 2);
  /* Refused values: exit 1 with the reason, and nothing written. */
  run_input (&result, "short\n", "--database", path, "members", "add-first-admin", "ada",
             "--given-name", "Ada", "--family-name", "Ouellet", "--email", "ada@clinic.ca");
  assert_failure (&result, 1);
  g_assert_nonnull (strstr (result.err, "at least 10 characters"));
  run_input (&result, "correct horse battery\n", "--database", path, "members",
             "add-first-admin", "ada", "--given-name", "Ada", "--family-name", "Ouellet",
             "--email", "ada-at-clinic.ca");
  assert_failure (&result, 1);
  g_assert_nonnull (strstr (result.err, "e-mail"));
  run (&result, "--database", path, "members", "add-first-admin", "ada", "--given-name", "Ada",
       "--family-name", "Ouellet", "--email", "ada@clinic.ca");
  assert_failure (&result, 2);
  g_assert_nonnull (strstr (result.err, "standard input"));
  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);

  run_input (&result, "correct horse battery\n", "--database", path, "members",
             "add-first-admin", "ada", "--given-name", "Ada", "--family-name", "Ouellet",
             "--email", "ada@clinic.ca", "--province", "qc");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "“ada”"));

  run_input (&result, "correct horse battery\n", "--database", path, "--as", "ada", "members",
             "show", "ada", "--json");
  assert_success (&result);
  {
    g_autoptr(Json) json = json_parse (result.out);

    g_assert_nonnull (json);
    g_assert_cmpstr (json_get_string (json, "province"), ==, "QC");
    g_assert_cmpstr (json_get_string (json, "status"), ==, "active");
  }

  /* The administrator signs in, with every permission (here: the audit log). */
  run_input (&result, "correct horse battery\n", "--database", path, "--as", "ada", "audit",
             "export", "--format", "csv");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "member.create-first-administrator"));

  /* Only ever the first. */
  run_input (&result, "another good password\n", "--database", path, "members",
             "add-first-admin", "bob", "--given-name", "Bob", "--family-name", "Roy",
             "--email", "bob@clinic.ca");
  assert_failure (&result, 1);
  g_assert_nonnull (strstr (result.err, "has members already"));

  remove_tree (dir);
}

static void
test_members_list (void)
{
  const char *db = shared_demo ();
  g_auto(Result) result = { 0 };
  g_autoptr(GPtrArray) active = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) limited = NULL;
  g_autoptr(Json) json = NULL;

  run_as (&result, db, "members", "list", "--status", "active");
  assert_success (&result);
  active = parse_table (result.out, "ID\t", MEMBER_COLUMNS);
  g_assert_cmpuint (active->len, >, 0);
  for (guint i = 0; i < active->len; i++)
    {
      GStrv row = g_ptr_array_index (active, i);

      g_assert_cmpstr (row[7], ==, "active");
    }

  run_as (&result, db, "members", "list", "--status", "all");
  assert_success (&result);
  all = parse_table (result.out, "ID\t", MEMBER_COLUMNS);
  g_assert_cmpuint (all->len, >=, active->len);

  /* The global options after the command, too. */
  run_input (&result, DESK_DEMO_PASSWORD "\n", "members", "list", "--limit", "3", "--database", db,
             "--as", DESK_DEMO_USERNAME);
  assert_success (&result);
  limited = parse_table (result.out, "ID\t", MEMBER_COLUMNS);
  g_assert_cmpuint (limited->len, ==, 3);

  run_as (&result, db, "members", "list", "--status", "active", "--json");
  assert_success (&result);
  g_assert_true (g_str_has_prefix (result.out, "["));
  g_assert_true (g_str_has_suffix (result.out, "]\n"));
  json = json_parse (result.out);
  g_assert_nonnull (json);
  g_assert_cmpint (json->type, ==, JSON_ARRAY);
  g_assert_cmpuint (json->items->len, ==, active->len);
  for (guint i = 0; i < json->items->len; i++)
    {
      Json *member = g_ptr_array_index (json->items, i);
      GStrv row = g_ptr_array_index (active, i);
      g_autofree char *id = NULL;

      id = g_strdup_printf ("%" G_GINT64_FORMAT, json_get_int (member, "id"));
      g_assert_cmpstr (id, ==, row[0]);
      g_assert_cmpstr (json_get_string (member, "username"), ==, row[1]);
      g_assert_cmpstr (json_get_string (member, "status"), ==, "active");
      g_assert_cmpint (json_get (member, "deactivated_at")->type, ==, JSON_NULL);
      json_get_string (member, "email");
      json_get_string (member, "kind");
    }
}

static void
test_members_search (void)
{
  const char *db = shared_demo ();
  g_auto(Result) result = { 0 };
  g_autoptr(GPtrArray) rows = NULL;

  run_as (&result, db, "members", "list", "--search", DESK_DEMO_USERNAME);
  assert_success (&result);
  rows = parse_table (result.out, "ID\t", MEMBER_COLUMNS);
  g_assert_cmpuint (rows->len, >=, 1);
  for (guint i = 0; i < rows->len; i++)
    {
      GStrv row = g_ptr_array_index (rows, i);
      g_autofree char *text = g_strjoin (" ", row[1], row[2], row[5], NULL);
      g_autofree char *folded = fold (text);

      g_assert_nonnull (strstr (folded, DESK_DEMO_USERNAME));
    }

  run_as (&result, db, "members", "list", "--search", "zzqxv", "--json");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "[\n]\n");
}

static void
test_members_show (void)
{
  const char *db = shared_demo ();
  g_auto(Result) result = { 0 };
  g_autoptr(Json) json = NULL;
  g_autoptr(Json) by_id = NULL;
  g_autofree char *id = NULL;
  const char *keys[] = {
    "roles", "groups", "permissions", "future_appointments", "recurring_qnaires",
    "sent_qnaires", "inbox_messages", "snoozed_messages", "lab_integrations",
    "main_lab_integration", "billing_connected",
  };

  run_as (&result, db, "members", "show", DESK_DEMO_USERNAME);
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, DESK_DEMO_USERNAME));
  g_assert_nonnull (strstr (result.out, "Roles:"));
  g_assert_nonnull (strstr (result.out, "Future appointments:"));

  run_as (&result, db, "members", "show", DESK_DEMO_USERNAME, "--json");
  assert_success (&result);
  json = json_parse (result.out);
  g_assert_nonnull (json);
  g_assert_cmpint (json->type, ==, JSON_OBJECT);
  g_assert_cmpstr (json_get_string (json, "username"), ==, DESK_DEMO_USERNAME);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    json_get (json, keys[i]);
  g_assert_cmpint (json_get (json, "roles")->type, ==, JSON_ARRAY);
  g_assert_cmpuint (json_get (json, "roles")->items->len, >, 0);
  /* The demo administrator may edit other users. */
  {
    Json *permissions = json_get (json, "permissions");
    gboolean found = FALSE;

    for (guint i = 0; i < permissions->items->len; i++)
      {
        Json *permission = g_ptr_array_index (permissions->items, i);

        found |= g_strcmp0 (permission->string, "edit-users") == 0;
      }
    g_assert_true (found);
  }

  /* By number, the same member. */
  id = g_strdup_printf ("%" G_GINT64_FORMAT, json_get_int (json, "id"));
  run_as (&result, db, "members", "show", id, "--json");
  assert_success (&result);
  by_id = json_parse (result.out);
  g_assert_nonnull (by_id);
  g_assert_cmpstr (json_get_string (by_id, "username"), ==, DESK_DEMO_USERNAME);
}

/* Runs "clients list" with @args and --json, and checks it against the table. */
static Json *
list_clients (const char *db,
              const char *option,
              const char *value)
{
  g_auto(Result) result = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  Json *json;

  if (option != NULL)
    run_as (&result, db, "clients", "list", option, value);
  else
    run_as (&result, db, "clients", "list");
  assert_success (&result);
  rows = parse_table (result.out, "ID\t", CLIENT_COLUMNS);

  if (option != NULL)
    run_as (&result, db, "clients", "list", option, value, "--json");
  else
    run_as (&result, db, "clients", "list", "--json");
  assert_success (&result);
  json = json_parse (result.out);
  g_assert_nonnull (json);
  g_assert_cmpint (json->type, ==, JSON_ARRAY);
  g_assert_cmpuint (json->items->len, ==, rows->len);

  for (guint i = 0; i < rows->len; i++)
    {
      GStrv row = g_ptr_array_index (rows, i);
      Json *client = g_ptr_array_index (json->items, i);

      g_assert_cmpint (g_ascii_strtoll (row[0], NULL, 10), ==, json_get_int (client, "id"));
      g_assert_cmpstr (row[CLIENT_STATUS_COLUMN], ==, json_get_string (client, "status"));
      g_assert_cmpstr (row[CLIENT_PORTAL_COLUMN], ==, json_get_string (client, "portal_access"));
    }

  return json;
}

static void
test_clients_filters (void)
{
  const char *db = shared_demo ();
  g_autoptr(Json) all = list_clients (db, NULL, NULL);
  g_autoptr(Json) active = list_clients (db, "--status", "active");
  g_autoptr(Json) inactive = list_clients (db, "--status", "inactive");
  g_autoptr(Json) enabled = list_clients (db, "--portal", "enabled");
  g_autoptr(Json) disabled = list_clients (db, "--portal", "disabled");
  g_autoptr(Json) limited = list_clients (db, "--limit", "7");

  g_assert_cmpuint (all->items->len, ==, 200);
  g_assert_cmpuint (inactive->items->len, >, 0);
  g_assert_cmpuint (disabled->items->len, >, 0);
  g_assert_cmpuint (active->items->len + inactive->items->len, ==, all->items->len);
  g_assert_cmpuint (enabled->items->len + disabled->items->len, ==, all->items->len);
  g_assert_cmpuint (limited->items->len, ==, 7);

  for (guint i = 0; i < inactive->items->len; i++)
    {
      Json *client = g_ptr_array_index (inactive->items, i);

      g_assert_cmpstr (json_get_string (client, "status"), ==, "inactive");
      /* A discharge has a date. */
      g_assert_cmpint (json_get (client, "discharged_at")->type, ==, JSON_STRING);
    }
  for (guint i = 0; i < active->items->len; i++)
    g_assert_cmpstr (json_get_string (g_ptr_array_index (active->items, i), "status"), ==,
                     "active");
  for (guint i = 0; i < disabled->items->len; i++)
    g_assert_cmpstr (json_get_string (g_ptr_array_index (disabled->items, i), "portal_access"),
                     ==, "disabled");
  for (guint i = 0; i < enabled->items->len; i++)
    g_assert_cmpstr (json_get_string (g_ptr_array_index (enabled->items, i), "portal_access"),
                     ==, "enabled");
}

static void
test_clients_search (void)
{
  const char *db = shared_demo ();
  g_autoptr(Json) all = list_clients (db, NULL, NULL);
  g_autoptr(Json) found = NULL;
  g_autofree char *needle = NULL;
  const char *family = NULL;

  /* A family name long enough to be a real search, from the middle of the list. */
  for (guint i = all->items->len / 3; i < all->items->len && family == NULL; i++)
    {
      const char *name = json_get_string (g_ptr_array_index (all->items, i), "family_name");

      if (g_utf8_strlen (name, -1) >= 4)
        family = name;
    }
  g_assert_nonnull (family);
  g_test_message ("searching for %s", family);

  found = list_clients (db, "--search", family);
  g_assert_cmpuint (found->items->len, >, 0);
  g_assert_cmpuint (found->items->len, <, all->items->len);

  needle = fold (family);
  for (guint i = 0; i < found->items->len; i++)
    {
      Json *client = g_ptr_array_index (found->items, i);
      g_autofree char *text = g_strjoin (" ",
                                         json_get_string (client, "given_name"),
                                         json_get_string (client, "family_name"),
                                         json_get_string (client, "email"),
                                         json_get_string (client, "phone"),
                                         NULL);
      g_autofree char *folded = fold (text);

      g_assert_nonnull (strstr (folded, needle));
    }
}

static void
test_clients_show (void)
{
  const char *db = shared_demo ();
  g_autoptr(Json) all = list_clients (db, NULL, NULL);
  g_auto(Result) result = { 0 };
  g_autofree char *id = NULL;
  gboolean seen_documents = FALSE;
  gboolean seen_appointments = FALSE;

  /* Every client shows, as text and JSON; some have documents and appointments. */
  for (guint i = 0; i < all->items->len && i < 40; i++)
    {
      Json *client = g_ptr_array_index (all->items, i);
      g_autoptr(Json) json = NULL;
      Json *documents;
      Json *appointments;

      g_free (id);
      id = g_strdup_printf ("%" G_GINT64_FORMAT, json_get_int (client, "id"));

      run_as (&result, db, "clients", "show", id);
      assert_success (&result);
      g_assert_nonnull (strstr (result.out, json_get_string (client, "display_name")));

      run_as (&result, db, "clients", "show", id, "--json");
      assert_success (&result);
      json = json_parse (result.out);
      g_assert_nonnull (json);
      g_assert_cmpint (json->type, ==, JSON_OBJECT);
      g_assert_cmpint (json_get_int (json, "id"), ==, json_get_int (client, "id"));
      g_assert_cmpstr (json_get_string (json, "status"), ==, json_get_string (client, "status"));
      documents = json_get (json, "documents");
      appointments = json_get (json, "upcoming_appointments");
      g_assert_cmpint (documents->type, ==, JSON_ARRAY);
      g_assert_cmpint (appointments->type, ==, JSON_ARRAY);
      for (guint j = 0; j < documents->items->len; j++)
        {
          json_get_string (g_ptr_array_index (documents->items, j), "title");
          json_get_string (g_ptr_array_index (documents->items, j), "shared_at");
        }
      for (guint j = 0; j < appointments->items->len; j++)
        json_get_string (g_ptr_array_index (appointments->items, j), "starts_at");
      seen_documents |= documents->items->len > 0;
      seen_appointments |= appointments->items->len > 0;
    }

  g_assert_true (seen_documents);
  g_assert_true (seen_appointments);
}

/* Names with quotes, backslashes and control characters stay valid JSON and
 * one line of the table. */
static void
test_json_escaping (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  const char *name = "Quo\"te \\back/slash\ttab\nline\r\001\037 Zoë 😀 \342\200\250";
  g_autofree char *sql = NULL;
  g_auto(Result) result = { 0 };
  g_autoptr(Json) json = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gboolean found = FALSE;
  char *quoted;

  create_demo (path, "20", "1");

  quoted = sqlite3_mprintf ("UPDATE clients SET given_name = %Q WHERE id = 1", name);
  sql = g_strdup (quoted);
  sqlite3_free (quoted);
  exec_sql (path, sql);

  run_as (&result, path, "clients", "show", "1", "--json");
  assert_success (&result);
  g_assert_cmpuint (count_char (result.out, '\n'), ==, 1);
  json = json_parse (result.out);
  g_assert_nonnull (json);
  g_assert_cmpstr (json_get_string (json, "given_name"), ==, name);
  g_clear_pointer (&json, json_free);

  run_as (&result, path, "clients", "list", "--json");
  assert_success (&result);
  json = json_parse (result.out);
  g_assert_nonnull (json);
  for (guint i = 0; i < json->items->len; i++)
    {
      Json *client = g_ptr_array_index (json->items, i);

      if (json_get_int (client, "id") == 1)
        {
          g_assert_cmpstr (json_get_string (client, "given_name"), ==, name);
          found = TRUE;
        }
    }
  g_assert_true (found);

  run_as (&result, path, "clients", "list");
  assert_success (&result);
  rows = parse_table (result.out, "ID\t", CLIENT_COLUMNS);
  g_assert_cmpuint (rows->len, ==, 20);

  run_as (&result, path, "clients", "show", "1");
  assert_success (&result);
  g_assert_null (strchr (result.out, '\001'));
  g_assert_null (strchr (result.out, '\t'));

  remove_tree (dir);
}

static void
test_determinism (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *first = g_build_filename (dir, "first.db", NULL);
  g_autofree char *second = g_build_filename (dir, "second.db", NULL);
  g_autofree char *other = g_build_filename (dir, "other.db", NULL);
  g_auto(Result) a = { 0 };
  g_auto(Result) b = { 0 };

  create_demo (first, DEMO_CLIENTS, DEMO_SEED);
  create_demo (second, DEMO_CLIENTS, DEMO_SEED);
  create_demo (other, DEMO_CLIENTS, "6");

  run_as (&a, first, "clients", "list", "--json");
  assert_success (&a);
  run_as (&b, second, "clients", "list", "--json");
  assert_success (&b);
  g_assert_cmpstr (a.out, ==, b.out);

  run_as (&b, other, "clients", "list", "--json");
  assert_success (&b);
  g_assert_cmpstr (a.out, !=, b.out);

  run_as (&a, first, "members", "list", "--status", "all", "--json");
  assert_success (&a);
  run_as (&b, second, "members", "list", "--status", "all", "--json");
  assert_success (&b);
  g_assert_cmpstr (a.out, ==, b.out);

  remove_tree (dir);
}

/* Tests: failures */

static void
test_error_no_database (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr(GHashTable) before = snapshot (dir);
  g_auto(Result) result = { 0 };
  g_autofree char *cwd = g_get_current_dir ();

  g_assert_cmpint (g_chdir (dir), ==, 0);

  run_input (&result, DESK_DEMO_PASSWORD "\n", "members", "list", "--as", DESK_DEMO_USERNAME);
  assert_failure (&result, EXIT_USAGE);
  g_assert_nonnull (strstr (result.err, "--database"));

  run (&result, "init", "--demo");
  assert_failure (&result, EXIT_USAGE);

  run_as (&result, "", "clients", "list");
  assert_failure (&result, EXIT_USAGE);

  g_assert_cmpint (g_chdir (cwd), ==, 0);
  assert_untouched (dir, before);
  g_assert_cmpuint (g_hash_table_size (before), ==, 0);
  remove_tree (dir);
}

static void
test_error_missing_file (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "missing.db", NULL);
  g_autofree char *nested = g_build_filename (dir, "no-such-folder", "clinic.db", NULL);
  g_auto(Result) result = { 0 };
  g_autoptr(GHashTable) after = NULL;

  run_as (&result, path, "members", "list");
  assert_failure (&result, EXIT_FAILED);
  g_assert_nonnull (strstr (result.err, "missing.db"));

  run_as (&result, path, "clients", "show", "1", "--json");
  assert_failure (&result, EXIT_FAILED);

  run_as (&result, path, "members", "show", DESK_DEMO_USERNAME);
  assert_failure (&result, EXIT_FAILED);

  /* init creates a file, not the folders above it. */
  run (&result, "--database", nested, "init", "--demo", "--clients", "10");
  assert_failure (&result, EXIT_FAILED);

  /* Only init creates a database: nothing appeared. */
  after = snapshot (dir);
  g_assert_cmpuint (g_hash_table_size (after), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  remove_tree (dir);
}

static void
test_error_not_a_database (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.db", NULL);
  g_autoptr(GHashTable) before = NULL;
  g_auto(Result) result = { 0 };

  write_file (path, "Patients to call back on Monday:\n- nobody\n", -1);
  write_file (empty, "", 0);
  before = snapshot (dir);

  run_as (&result, path, "members", "list");
  assert_failure (&result, EXIT_FAILED);
  run_as (&result, path, "clients", "list", "--json");
  assert_failure (&result, EXIT_FAILED);
  run_as (&result, empty, "clients", "list");
  assert_failure (&result, EXIT_FAILED);
  run_as (&result, dir, "clients", "list");
  assert_failure (&result, EXIT_FAILED);

  assert_untouched (dir, before);
  remove_tree (dir);
}

static void
test_error_init_existing (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *text = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *db = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(GHashTable) before = NULL;
  g_auto(Result) result = { 0 };

  write_file (text, "not a clinic\n", -1);
  create_demo (db, "20", "3");
  before = snapshot (dir);

  run (&result, "--database", text, "init", "--demo");
  assert_failure (&result, EXIT_FAILED);
  run (&result, "--database", db, "init");
  assert_failure (&result, EXIT_FAILED);
  run (&result, "--database", db, "init", "--demo", "--clients", "20", "--seed", "3");
  assert_failure (&result, EXIT_FAILED);

  assert_untouched (dir, before);
  remove_tree (dir);
}

static void
test_error_usage (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(GHashTable) before = NULL;
  g_auto(Result) result = { 0 };
  const char *cases[][8] = {
    { NULL },
    { "frobnicate" },
    { "members" },
    { "members", "frobnicate" },
    { "members", "list", "--status", "inactive" },
    { "members", "list", "--status", "" },
    { "members", "list", "--limit", "-1" },
    { "members", "list", "--limit", "many" },
    { "members", "list", "--bogus" },
    { "members", "list", "extra" },
    { "members", "show" },
    { "members", "show", "a", "b" },
    { "clients", "list", "--status", "discharged" },
    { "clients", "list", "--portal", "on" },
    { "clients", "list", "--limit" },
    { "clients", "show" },
    { "clients", "show", "abc" },
    { "clients", "show", "-5" },
    { "clients", "show", "0" },
    { "init", "--members", "5" },
    { "init", "--demo", "--clients", "lots" },
    { "init", "--demo", "--clients", "0" },
    { "init", "--demo", "--seed", "-1" },
    /* Not text: our words, exit 2, not GLib's conversion error. */
    { "init", "--name", "Clinique \xff" },
    { "audit", "export", "--member", "ada\xc3" },
    { "members", "list", "--as", "\xff" },
  };

  create_demo (db, "20", "2");
  before = snapshot (dir);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[12] = { "--database", db };
      guint n = 2;

      for (guint j = 0; cases[i][j] != NULL; j++)
        args[n++] = cases[i][j];
      args[n] = NULL;

      run_argv (&result, args);
      assert_failure (&result, EXIT_USAGE);
      g_assert_null (strstr (result.err, "conversion"));
    }
  run (&result, "--database", db, "audit", "export", "--member", "ada\xc3");
  g_assert_cmpstr (result.err, ==, "front-desk-admin: An argument is not text in this system’s "
                                   "character encoding. Type it again.\n");

  run_as (&result, db, "clients", "list", "--status", "discharged");
  g_assert_nonnull (strstr (result.err,
                            "--status must be active, inactive or all, not “discharged”."));
  run (&result, "--database", db, "members", "list", "--status", "inactive");
  g_assert_nonnull (strstr (result.err,
                            "--status must be active, deactivated or all, not “inactive”."));
  run (&result, "--database", db, "clients", "list", "--portal", "on");
  g_assert_nonnull (strstr (result.err,
                            "--portal must be enabled, disabled or all, not “on”."));

  assert_untouched (dir, before);
  remove_tree (dir);
}

static void
test_error_unknown_record (void)
{
  const char *db = shared_demo ();
  g_auto(Result) result = { 0 };

  run_as (&result, db, "members", "show", "nobody-here");
  assert_failure (&result, EXIT_FAILED);
  g_assert_nonnull (strstr (result.err, "nobody-here"));

  run_as (&result, db, "members", "show", "999999", "--json");
  assert_failure (&result, EXIT_FAILED);

  run_as (&result, db, "clients", "show", "999999");
  assert_failure (&result, EXIT_FAILED);
}

static void
test_error_read_only (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(GHashTable) before = NULL;
  g_auto(Result) result = { 0 };

  copy_file (shared_demo (), path);
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  before = snapshot (dir);

  run_as (&result, path, "members", "list");
  assert_failure (&result, EXIT_FAILED);
  run_as (&result, path, "clients", "show", "1", "--json");
  assert_failure (&result, EXIT_FAILED);

  assert_untouched (dir, before);
  remove_tree (dir);
}

static void
test_error_too_new (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(GHashTable) before = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *after = NULL;
  g_auto(Result) result = { 0 };

  run (&result, "--database", path, "init");
  assert_success (&result);
  exec_sql (path, "PRAGMA user_version = 99");
  before = snapshot (dir);
  checksum = file_checksum (path);

  run_as (&result, path, "members", "list");
  assert_failure (&result, EXIT_FAILED);
  run_as (&result, path, "clients", "list", "--json");
  assert_failure (&result, EXIT_FAILED);

  after = file_checksum (path);
  g_assert_cmpstr (after, ==, checksum);
  assert_untouched (dir, before);
  remove_tree (dir);
}

static void
test_error_corrupt (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(Result) result = { 0 };
  gsize length = 0;

  create_demo (path, DEMO_CLIENTS, DEMO_SEED);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 8192 + 4096);
  memset (contents + 8192, 0xff, 4096);
  write_file (path, contents, (gssize) length);
  before = snapshot (dir);

  /* Opening does not read the whole file, and no listing reads this page:
   * the check does (test-cli-files: a listing that meets damage). */
  run (&result, "--database", path, "check");
  g_assert_cmpint (result.status, !=, 0);
  assert_failure (&result, EXIT_FAILED);

  assert_untouched (dir, before);
  remove_tree (dir);
}

static void
test_error_locked (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *checksum = NULL;
  g_autofree char *after = NULL;
  g_auto(Result) result = { 0 };
  sqlite3 *db = NULL;

  create_demo (path, "20", "4");
  checksum = file_checksum (path);

  /* Another program holds the write lock. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  run_as (&result, path, "members", "list");
  assert_failure (&result, EXIT_FAILED);

  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);
  after = file_checksum (path);
  g_assert_cmpstr (after, ==, checksum);

  run_as (&result, path, "members", "list");
  assert_success (&result);

  remove_tree (dir);
}

static void
test_audit (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "audit.db", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "audit.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(Result) result = { 0 };
  g_autoptr(Json) json = NULL;

  create_demo (db, "30", "3");

  run (&result, "--database", db, "audit", "verify");
  assert_success (&result);
  g_assert_true (g_str_has_prefix (result.out, "The audit log is intact: 2 entries.\n"
                                               "Receipt: 2:"));

  /* Exporting needs a member who may view the log. */
  run (&result, "--database", db, "audit", "export");
  assert_failure (&result, 2);
  g_assert_nonnull (strstr (result.err, "--as"));
  run_input (&result, "not the password\n", "--database", db, "--as", "admin", "audit", "export");
  assert_failure (&result, 1);

  run_input (&result, DESK_DEMO_PASSWORD "\n", "--database", db, "--as", "admin", "audit",
             "export");
  assert_success (&result);
  g_assert_true (g_str_has_prefix (result.out, "id,at,actor,action,target_kind,target_id,reason,"
                                               "details,hash\r\n1,"));
  g_assert_nonnull (strstr (result.out, ",clinic.demo-data,clinic,1,"));
  g_assert_nonnull (strstr (result.out, ",admin,audit.export,clinic,1,"));

  run_input (&result, DESK_DEMO_PASSWORD, "--database", db, "audit", "export", "--format",
             "json", "--as", "admin");
  assert_success (&result);
  json = json_parse (result.out);
  g_assert_nonnull (json);
  g_assert_cmpint (json->type, ==, JSON_ARRAY);
  g_assert_cmpstr (json_get_string (g_ptr_array_index (json->items, 0), "action"), ==,
                   "clinic.create");
  /* Every entry's details are an object, read as they were written, not
   * a string holding one. */
  for (guint i = 0; i < json->items->len; i++)
    g_assert_cmpint (json_get (g_ptr_array_index (json->items, i), "details")->type, ==,
                     JSON_OBJECT);
  {
    Json *demo = g_ptr_array_index (json->items, 1);
    Json *details = json_get (demo, "details");

    g_assert_cmpstr (json_get_string (demo, "action"), ==, "clinic.demo-data");
    g_assert_cmpint (json_get_int (details, "seed"), ==, 3);
    g_assert_cmpint (json_get_int (details, "clients"), ==, 30);
  }
  g_assert_nonnull (strstr (result.out, "\"details\":{\"seed\":3,"));
  /* CSV keeps them as the text of one field. */
  run_input (&result, DESK_DEMO_PASSWORD "\n", "--database", db, "--as", "admin", "audit",
             "export", "--action", "clinic.demo-data");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, ",\"{\"\"seed\"\":3,\"\"members\"\":"));

  /* To a file; never over one. */
  run_input (&result, DESK_DEMO_PASSWORD "\n", "--database", db, "--as", "admin", "audit",
             "export", "--output", csv_path);
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "id,at,"));
  run_input (&result, DESK_DEMO_PASSWORD "\n", "--database", db, "--as", "admin", "audit",
             "export", "--output", csv_path);
  assert_failure (&result, 1);

  run_input (&result, DESK_DEMO_PASSWORD "\n", "--database", db, "--as", "admin", "audit",
             "export", "--format", "xml");
  assert_failure (&result, 2);

  /* A receipt for the next check; an entry cut off the end is found with
   * it, and only with it. */
  run (&result, "--database", db, "audit", "verify");
  assert_success (&result);
  {
    const char *start = strstr (result.out, "Receipt: ");
    g_autofree char *receipt = NULL;

    g_assert_nonnull (start);
    receipt = g_strndup (start + strlen ("Receipt: "), strcspn (start + strlen ("Receipt: "), " "));
    run (&result, "--database", db, "audit", "verify", "--receipt", receipt);
    assert_success (&result);
    g_assert_nonnull (strstr (result.out, "Every entry the receipt’s check saw is still there"));

    exec_behind_triggers (db, "DELETE FROM audit_log WHERE id = (SELECT max (id) FROM audit_log)");
    run (&result, "--database", db, "audit", "verify");
    assert_success (&result);
    run (&result, "--database", db, "audit", "verify", "--receipt", receipt);
    assert_failure (&result, 1);
    g_assert_nonnull (strstr (result.err, "cut short"));

    run (&result, "--database", db, "audit", "verify", "--receipt", "12:not-a-hash");
    assert_failure (&result, 2);
    g_assert_nonnull (strstr (result.err, "not a receipt"));
  }

  /* Someone edits an entry behind the triggers' back: named, exit 1. */
  exec_behind_triggers (db, "UPDATE audit_log SET details = '{}' WHERE id = 2");
  run (&result, "--database", db, "audit", "verify");
  assert_failure (&result, 1);
  g_assert_nonnull (strstr (result.err, "entry 2 "));

  /* Details that are no JSON object, written with sqlite3 to reach into the
   * export's own structure, stay text: the export is still valid JSON, each
   * entry keeps its own actor, and the text is there as it was stored. */
  exec_behind_triggers (db, "UPDATE audit_log SET details = CASE id"
                            " WHEN 1 THEN '{}, \"actor\": \"mallory\", \"x\": {'"
                            " WHEN 2 THEN '[1, 2]'"
                            " WHEN 3 THEN CAST (X'7B2261223A2280FF227D' AS TEXT)"
                            " ELSE details END");
  run_input (&result, DESK_DEMO_PASSWORD "\n", "--database", db, "--as", "admin", "audit",
             "export", "--format", "json");
  assert_success (&result);
  g_clear_pointer (&json, json_free);
  json = json_parse (result.out);
  g_assert_nonnull (json);
  {
    Json *first = g_ptr_array_index (json->items, 0);
    Json *second = g_ptr_array_index (json->items, 1);
    Json *third = g_ptr_array_index (json->items, 2);
    Json *fourth = g_ptr_array_index (json->items, 3);

    g_assert_cmpint (json_get (first, "actor")->type, ==, JSON_NULL);
    g_assert_cmpint (json_get (first, "details")->type, ==, JSON_NULL);
    g_assert_cmpstr (json_get_string (first, "details_text"), ==,
                     "{}, \"actor\": \"mallory\", \"x\": {");
    g_assert_cmpint (json_get (second, "details")->type, ==, JSON_NULL);
    g_assert_cmpstr (json_get_string (second, "details_text"), ==, "[1, 2]");
    /* Not UTF-8: text too, its broken bytes replaced. */
    g_assert_cmpint (json_get (third, "details")->type, ==, JSON_NULL);
    g_assert_true (g_str_has_prefix (json_get_string (third, "details_text"), "{\"a\":\""));
    g_assert_cmpint (json_get (fourth, "details")->type, ==, JSON_OBJECT);
  }

  remove_tree (dir);
}

/* The data lines of a CSV export: CRLF-separated, after the header. */
static GStrv
export_rows (const char *csv)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);
  g_autoptr(GStrvBuilder) rows = g_strv_builder_new ();
  guint n = g_strv_length (lines);

  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpstr (lines[0], ==, "id,at,actor,action,target_kind,target_id,reason,details,hash");
  g_assert_cmpstr (lines[n - 1], ==, "");
  for (guint i = 1; i < n - 1; i++)
    g_strv_builder_add (rows, lines[i]);
  return g_strv_builder_end (rows);
}

/* Runs audit export as the demo administrator with @filters (NULL-terminated). */
static GStrv
export_with (const char *db,
             ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(Result) result = { 0 };
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) "--database");
  g_ptr_array_add (args, (gpointer) db);
  g_ptr_array_add (args, (gpointer) "--as");
  g_ptr_array_add (args, (gpointer) "admin");
  g_ptr_array_add (args, (gpointer) "audit");
  g_ptr_array_add (args, (gpointer) "export");
  va_start (ap, db);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  run_input_argv (&result, DESK_DEMO_PASSWORD "\n", (const char * const *) args->pdata);
  assert_success (&result);
  return export_rows (result.out);
}

/* The field @column of each row. */
static char *
export_column (GStrv rows,
               guint column)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; rows[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (rows[i], ",", -1);

      g_assert_cmpuint (g_strv_length (fields), >, column);
      g_string_append_printf (out, "%s%s", i > 0 ? " " : "", fields[column]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_audit_filters (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "audit.db", NULL);
  g_autofree char *out_path = g_build_filename (dir, "filtered.csv", NULL);
  g_auto(Result) result = { 0 };
  struct {
    const char *args[5];
    const char *expected_actions;
  } cases[] = {
    { { "--action", "client.discharge" }, "client.discharge client.discharge" },
    { { "--action", "client." }, "client.discharge client.portal-disable client.discharge" },
    { { "--member", "2" }, "client.discharge client.portal-disable" },
    { { "--client", "3" }, "client.discharge client.portal-disable" },
    { { "--since", "2025-03-11", "--until", "2025-03-11" }, "client.portal-disable" },
    { { "--since", "2025-03-12", "--until", "2025-03-12" },
      "member.deactivate client.discharge" },
    { { "--until", "2025-03-10" }, "clinic.create client.discharge" },
    { { "--member", "admin", "--action", "client." }, "client.discharge" },
    { { "--client", "3", "--since", "2025-03-11" }, "client.portal-disable" },
    { { "--client", "4" }, "" },
  };
  const struct {
    const char *args[4];
    const char *message;
  } bad[] = {
    { { "--since", "2025-02-30" }, "--since must be a date written YYYY-MM-DD, not “2025-02-30”." },
    { { "--since", "yesterday" }, "--since must be a date written YYYY-MM-DD, not “yesterday”." },
    { { "--until", "2025-3-1" }, "--until must be a date written YYYY-MM-DD, not “2025-3-1”." },
    { { "--since", "2025-03-12", "--until", "2025-03-11" }, "--since must not be after --until." },
    { { "--action", "client discharge" }, "--action must be an action" },
    { { "--action", "" }, "--action must be an action" },
    { { "--member", "nobody" }, "--member: There is no member “nobody” in this clinic." },
    { { "--member", "0" }, "--member: There is no member “0” in this clinic." },
    { { "--client", "abc" }, "--client: There is no client with number “abc” in this clinic." },
    { { "--client", "0" }, "--client: There is no client with number “0” in this clinic." },
    { { "--client", "99999" }, "--client: There is no client with number “99999” in this clinic." },
    { { "--client", "-3" }, "--client: There is no client with number “-3” in this clinic." },
  };

  create_demo (db, "30", "3");
  /* Entries from March 2025, older than the clinic's own, member 2's and the administrator's. */
  exec_sql (db,
            "INSERT INTO audit_log (id, at, actor_member_id, action, target_kind, target_id,"
            "  reason, details, prev_hash, hash)"
            " SELECT max (id) + 1, unixepoch ('2025-03-10 10:00:00'), 2, 'client.discharge',"
            "  'client', 3, '', '{}', '', '' FROM audit_log;"
            "INSERT INTO audit_log (id, at, actor_member_id, action, target_kind, target_id,"
            "  reason, details, prev_hash, hash)"
            " SELECT max (id) + 1, unixepoch ('2025-03-11 23:59:59'), 2, 'client.portal-disable',"
            "  'client', 3, '', '{}', '', '' FROM audit_log;"
            "INSERT INTO audit_log (id, at, actor_member_id, action, target_kind, target_id,"
            "  reason, details, prev_hash, hash)"
            " SELECT max (id) + 1, unixepoch ('2025-03-12 00:00:00'), 1, 'member.deactivate',"
            "  'member', 4, '', '{}', '', '' FROM audit_log;"
            "INSERT INTO audit_log (id, at, actor_member_id, action, target_kind, target_id,"
            "  reason, details, prev_hash, hash)"
            " SELECT max (id) + 1, unixepoch ('2025-03-12 12:00:00'), 1, 'client.discharge',"
            "  'client', 5, '', '{}', '', '' FROM audit_log;"
            /* The clinic's creation, back then too. */
            "");
  exec_behind_triggers (db, "UPDATE audit_log SET at = unixepoch ('2025-03-01 08:00:00')"
                            " WHERE id = 1");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) rows = NULL;
      g_autofree char *actions = NULL;

      g_test_message ("%s %s %s %s", cases[i].args[0], cases[i].args[1],
                      cases[i].args[2] ? cases[i].args[2] : "",
                      cases[i].args[3] ? cases[i].args[3] : "");
      rows = export_with (db, cases[i].args[0], cases[i].args[1], cases[i].args[2],
                          cases[i].args[3], NULL);
      actions = export_column (rows, 3);
      g_assert_cmpstr (actions, ==, cases[i].expected_actions);
    }

  /* Every export is recorded with its filter, which the recording itself matches. */
  {
    g_auto(Result) json_result = { 0 };

    run_input (&json_result, DESK_DEMO_PASSWORD "\n", "--database", db, "--as", "admin", "audit",
               "export", "--format", "json", "--action", "audit.", "--member", "1");
    assert_success (&json_result);
    /* The filters are in the details, an object. */
    g_assert_nonnull (strstr (json_result.out,
                              "\"filter\":{\"member_id\":1,\"action\":\"audit.\"}"));
    g_assert_nonnull (strstr (json_result.out,
                              "\"filter\":{\"action\":\"client.discharge\"}"));
    /* No entry of a client action: an entry's own action is followed by
     * its target_kind, a filter's is not. */
    g_assert_false (g_regex_match_simple ("\"action\":\"client\\.[^\"]*\",\"target_kind\"",
                                          json_result.out, 0, 0));
  }

  /* Filters with --output. */
  run_input (&result, DESK_DEMO_PASSWORD "\n", "--database", db, "--as", "admin", "audit",
             "export", "--client", "5", "--output", out_path);
  assert_success (&result);
  {
    g_autofree char *contents = NULL;
    g_auto(GStrv) rows = NULL;

    g_assert_true (g_file_get_contents (out_path, &contents, NULL, NULL));
    rows = export_rows (contents);
    g_assert_cmpuint (g_strv_length (rows), ==, 1);
    g_assert_nonnull (strstr (rows[0], ",admin,client.discharge,client,5,"));
  }

  /* A bad value: one line, exit 2, no output file, nothing recorded. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *bad_path = g_build_filename (dir, "bad.csv", NULL);
      const char *args[16] = { "--database", db, "--as", "admin", "audit", "export",
                               "--output", bad_path };
      guint n = 8;

      g_test_message ("%s %s", bad[i].args[0], bad[i].args[1]);
      for (guint j = 0; j < G_N_ELEMENTS (bad[i].args) && bad[i].args[j] != NULL; j++)
        args[n++] = bad[i].args[j];
      run_input_argv (&result, DESK_DEMO_PASSWORD "\n", args);
      assert_failure (&result, 2);
      g_assert_nonnull (strstr (result.err, bad[i].message));
      g_assert_false (g_file_test (bad_path, G_FILE_TEST_EXISTS));
    }

  /* Bad dates are refused before a password is asked for. */
  run (&result, "--database", db, "audit", "export", "--since", "2025-13-01");
  assert_failure (&result, 2);
  g_assert_nonnull (strstr (result.err, "--since"));

  /* The refused exports left nothing in the log. */
  {
    g_auto(GStrv) rows = export_with (db, "--action", "audit.export", NULL);

    /* The ten above, the JSON one, the --output one, and this one. */
    g_assert_cmpuint (g_strv_length (rows), ==, G_N_ELEMENTS (cases) + 2 + 1);
  }

  /* Without the permission, filtered or not. */
  run_input (&result, "wrong\n", "--database", db, "--as", "admin", "audit", "export",
             "--member", "admin");
  assert_failure (&result, 1);

  remove_tree (dir);
}


/* Every command that reads members or clients needs a member who signs in:
 * no --as, a wrong password, an unknown or deactivated member get nothing. */
static void
test_sign_in_required (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "clinic.db", NULL);
  g_auto(Result) result = { 0 };
  g_autoptr(Json) deactivated = NULL;
  const char *username;
  const char *commands[][4] = {
    { "members", "list" },
    { "members", "list", "--json" },
    { "members", "show", DESK_DEMO_USERNAME },
    { "members", "show", "1", "--json" },
    { "clients", "list" },
    { "clients", "list", "--search", "a" },
    { "clients", "show", "1" },
    { "clients", "show", "1", "--json" },
  };

  /* A copy: the failed sign-ins below count against its accounts. */
  copy_file (shared_demo (), db);
  run_as (&result, db, "members", "list", "--status", "deactivated", "--json");
  assert_success (&result);
  deactivated = json_parse (result.out);
  g_assert_nonnull (deactivated);
  g_assert_cmpuint (deactivated->items->len, >, 0);
  username = json_get_string (g_ptr_array_index (deactivated->items, 0), "username");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *args[12] = { "--database", db };
      guint n = 2, first;

      /* Without --as: a usage error, before anything is read. */
      for (guint j = 0; j < G_N_ELEMENTS (commands[i]) && commands[i][j] != NULL; j++)
        args[n++] = commands[i][j];
      args[n] = NULL;
      run_input_argv (&result, DESK_DEMO_PASSWORD "\n", args);
      assert_failure (&result, EXIT_USAGE);
      g_assert_nonnull (strstr (result.err, "--as USERNAME"));

      first = n;
      args[n++] = "--as";
      args[n++] = DESK_DEMO_USERNAME;
      args[n] = NULL;

      /* A wrong password, or none: exit 1 or 2, and not a word of the record. */
      run_input_argv (&result, DESK_DEMO_PASSWORD "x\n", args);
      assert_failure (&result, EXIT_FAILED);
      g_assert_nonnull (strstr (result.err, "The username or password is not right"));
      run_input_argv (&result, "", args);
      assert_failure (&result, EXIT_USAGE);
      g_assert_nonnull (strstr (result.err, "No password on standard input"));

      /* The right password: the record (and the failures in a row start over). */
      run_input_argv (&result, DESK_DEMO_PASSWORD "\n", args);
      assert_success (&result);
      g_assert_cmpuint (strlen (result.out), >, 20);

      /* Someone who is not a member, and a member who left (three times
       * only: after the third failure in a row, the answer is to wait). */
      args[first + 1] = "nobody-here";
      run_input_argv (&result, DESK_DEMO_PASSWORD "\n", args);
      assert_failure (&result, EXIT_FAILED);
      g_assert_nonnull (strstr (result.err, "The username or password is not right"));
      if (i < 3)
        {
          args[first + 1] = username;
          run_input_argv (&result, DESK_DEMO_PASSWORD "\n", args);
          assert_failure (&result, EXIT_FAILED);
          g_assert_nonnull (strstr (result.err, "This account is deactivated"));
        }
    }

  remove_tree (dir);
}

/* A member with every permission but "view the audit log": refused before
 * anything is done, whatever the filters and the output. */
static void
test_audit_permission_first (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *out_path = g_build_filename (dir, "export.csv", NULL);
  g_autofree char *checksum = NULL;
  g_autofree char *after = NULL;
  g_auto(Result) result = { 0 };
  GStatBuf st;
  const char *filters[][2] = {
    { NULL },
    { "--member", "nobody-here" },
    { "--member", "1" },
    { "--client", "99999" },
    { "--client", "1" },
    { "--action", "member." },
  };

  create_demo (db, "20", "8");
  exec_sql (db, "DELETE FROM role_permissions WHERE role_id = 1 AND permission = 'view-audit'");
  run_as (&result, db, "members", "show", DESK_DEMO_USERNAME, "--json");
  assert_success (&result);
  {
    g_autoptr(Json) json = json_parse (result.out);
    Json *permissions = json_get (json, "permissions");

    g_assert_cmpuint (permissions->items->len, ==, 3);
    for (guint i = 0; i < permissions->items->len; i++)
      g_assert_cmpstr (((Json *) g_ptr_array_index (permissions->items, i))->string, !=,
                       "view-audit");
  }
  run (&result, "--database", db, "audit", "verify");
  assert_success (&result);
  checksum = g_strdup (strstr (result.out, "Receipt: "));

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      for (guint with_output = 0; with_output < 2; with_output++)
        {
          const char *args[16] = { "--database", db, "--as", DESK_DEMO_USERNAME, "audit",
                                   "export" };
          guint n = 6;

          for (guint j = 0; j < 2 && filters[i][j] != NULL; j++)
            args[n++] = filters[i][j];
          if (with_output)
            {
              args[n++] = "--output";
              args[n++] = out_path;
            }
          args[n] = NULL;

          run_input_argv (&result, DESK_DEMO_PASSWORD "\n", args);
          assert_failure (&result, EXIT_FAILED);
          g_assert_cmpstr (result.err, ==, "front-desk-admin: You do not have the “view the audit "
                                           "log” permission. Ask a clinic administrator.\n");
          g_assert_false (g_file_test (out_path, G_FILE_TEST_EXISTS));
        }
    }

  /* Nothing was exported, so nothing was audited as exported. */
  run (&result, "--database", db, "audit", "verify");
  assert_success (&result);
  g_assert_null (strstr (result.out, "audit.export"));

  /* With the permission, the file is the administrator's alone. */
  exec_sql (db, "INSERT INTO role_permissions (role_id, permission) VALUES (1, 'view-audit')");
  run_as (&result, db, "audit", "export", "--output", out_path);
  assert_success (&result);
  g_assert_cmpint (g_stat (out_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, >, 0);

  (void) after;
  remove_tree (dir);
}

/* Whatever is searched for, the answer is rows or one sentence a person
 * understands: never SQLite's words. */
static void
assert_no_sql_words (const char *text)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  g_assert_null (strstr (lower, "sql"));
  g_assert_null (strstr (lower, "fts5"));
  g_assert_null (strstr (lower, "expression"));
  g_assert_null (strstr (lower, "syntax"));
}

static char *
repeat_words (const char *word,
              guint       n)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "", word);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The first cases of test_search_bounds(): the bounds themselves. */
#define N_BOUND_CASES 14

static void
test_search_bounds (void)
{
  const char *db = shared_demo ();
  g_auto(Result) result = { 0 };
  g_autofree char *words_16 = repeat_words ("a", 16);
  g_autofree char *words_17 = repeat_words ("a", 17);
  g_autofree char *words_1000 = repeat_words ("lee", 1000);
  g_autofree char *chars_200 = g_strnfill (200, 'e');
  g_autofree char *chars_201 = g_strnfill (201, 'e');
  g_autofree char *word_10000 = g_strnfill (10000, 'x');
  g_autoptr(GString) accents_200 = g_string_new (NULL);
  const char *lists[] = { "members", "clients" };
  const struct {
    const char *search;
    const char *message;   /* NULL: it is searched */
  } cases[] = {
    { words_16, NULL },
    { "le le le le le le le le le le le le le le le le", NULL },
    { "ab cd ef gh ij kl mn op qr st uv wx yz ée ço ñü", NULL },
    { words_17, "--search: A search can have at most 16 words. Search for fewer words." },
    { words_1000, "--search: A search can have at most 16 words. Search for fewer words." },
    { chars_200, NULL },
    { chars_201, "--search: A search can be at most 200 characters long." },
    { word_10000, "--search: A search can be at most 200 characters long." },
    { "lee\xff", "--search: The search has characters that are not text. Type it again." },
    { "\xc3", "--search: The search has characters that are not text. Type it again." },
    { "\xed\xa0\x80", "--search: The search has characters that are not text." },
    { "lee\tmorgan", "--search: A search cannot have tabs, line breaks or other control" },
    { "lee\nmorgan", "--search: A search cannot have tabs, line breaks or other control" },
    { "\x1b[2J", "--search: A search cannot have tabs, line breaks or other control" },
    /* FTS5 and LIKE syntax is text like any other. */
    { "\"", NULL }, { "\"\"", NULL }, { "\"lee", NULL }, { "lee\"", NULL }, { "'", NULL },
    { "lee OR morgan", NULL }, { "NOT lee", NULL }, { "lee AND", NULL }, { "NEAR(lee)", NULL },
    { "lee*", NULL }, { "*", NULL }, { "^lee", NULL }, { "-lee", NULL }, { "+", NULL },
    { "name:lee", NULL }, { "{given_name}: lee", NULL }, { "(", NULL }, { ")", NULL },
    { "%", NULL }, { "_", NULL }, { "\\", NULL }, { "%_\\", NULL }, { "lee;", NULL },
    { "'; DROP TABLE clients; --", NULL }, { "\"\"\"", NULL }, { "ab\"c", NULL },
    { "a\"", NULL }, { "\"a", NULL }, { "ée\"", NULL }, { "\xf0\x9f\x98\x80", NULL },
  };

  for (guint i = 0; i < 200; i++)
    g_string_append (accents_200, "é");

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          /* Members are searched with LIKE only: the syntax cases are for
           * the clients' trigram index (each run hashes a password). */
          if (l == 0 && cases[i].message == NULL && i >= N_BOUND_CASES &&
              strpbrk (cases[i].search, "%_\\'\"") == NULL)
            continue;

          run_as (&result, db, lists[l], "list", "--search", cases[i].search, "--json");
          assert_no_sql_words (result.err);
          if (cases[i].message == NULL)
            {
              g_autoptr(Json) json = NULL;

              assert_success (&result);
              json = json_parse (result.out);
              g_assert_nonnull (json);
              g_assert_cmpint (json->type, ==, JSON_ARRAY);
            }
          else
            {
              assert_failure (&result, EXIT_USAGE);
              g_assert_true (g_str_has_prefix (result.err + strlen ("front-desk-admin: "),
                                               cases[i].message));
            }
        }

      /* Characters, not bytes: 200 two-byte letters are one search. */
      run_as (&result, db, lists[l], "list", "--search", accents_200->str);
      assert_success (&result);
    }

  /* Refused before a password is asked for. */
  run (&result, "--database", db, "clients", "list", "--search", words_1000);
  assert_failure (&result, EXIT_USAGE);
  g_assert_nonnull (strstr (result.err, "16 words"));
}

/* A deterministic printable password of @length bytes. */
static char *
long_password (gsize length,
               char  last)
{
  char *password = g_malloc (length + 2);

  for (gsize i = 0; i < length; i++)
    password[i] = (char) ('!' + (i * 7) % 94);
  password[length - 1] = last;
  password[length] = '\n';
  password[length + 1] = '\0';
  return password;
}

/* Passwords of any length a person could paste are read whole, not cut:
 * only the very same password signs in. */
static void
test_long_password (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *password = long_password (2000, 'A');
  g_autofree char *other = long_password (2000, 'B');
  g_autofree char *shorter = g_strndup (password, 1999);
  g_autofree char *longest = long_password (65536, 'A');
  g_autofree char *too_long = long_password (65537, 'A');
  g_autofree char *huge = long_password (1024 * 1024, 'A');
  g_autofree char *checksum = NULL;
  g_autofree char *after = NULL;
  g_auto(Result) result = { 0 };

  run (&result, "--database", db, "init");
  assert_success (&result);

  /* Longer than 65536 bytes: refused clearly, and no administrator is made. */
  checksum = file_checksum (db);
  run_input (&result, too_long, "--database", db, "members", "add-first-admin", "ada",
             "--given-name", "Ada", "--family-name", "Ouellet", "--email", "ada@clinic.ca");
  assert_failure (&result, EXIT_FAILED);
  g_assert_cmpstr (result.err, ==, "front-desk-admin: The password on standard input is too "
                                   "long: a password can have at most 65536 bytes.\n");
  run_input_len_argv (&result, "correct horse\0battery\n", 22,
                      (const char *[]) { "--database", db, "members", "add-first-admin", "ada",
                                         "--given-name", "Ada", "--family-name", "Ouellet",
                                         "--email", "ada@clinic.ca", NULL });
  assert_failure (&result, EXIT_FAILED);
  g_assert_nonnull (strstr (result.err, "NUL byte"));
  after = file_checksum (db);
  g_assert_cmpstr (after, ==, checksum);

  run_input (&result, password, "--database", db, "members", "add-first-admin", "ada",
             "--given-name", "Ada", "--family-name", "Ouellet", "--email", "ada@clinic.ca");
  assert_success (&result);

  run_input (&result, password, "--database", db, "--as", "ada", "members", "list");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "\tada\t"));

  /* Only the last byte differs; or it is cut short: refused. */
  run_input (&result, other, "--database", db, "--as", "ada", "members", "list");
  assert_failure (&result, EXIT_FAILED);
  g_assert_nonnull (strstr (result.err, "The username or password is not right"));
  run_input (&result, shorter, "--database", db, "--as", "ada", "members", "list");
  assert_failure (&result, EXIT_FAILED);

  /* 65536 bytes are read whole (and are not the password); more are refused
   * without signing in, even a mebibyte the program stops reading. */
  run_input (&result, longest, "--database", db, "--as", "ada", "members", "list");
  assert_failure (&result, EXIT_FAILED);
  g_assert_nonnull (strstr (result.err, "The username or password is not right"));
  run_input (&result, too_long, "--database", db, "--as", "ada", "members", "list");
  assert_failure (&result, EXIT_FAILED);
  g_assert_nonnull (strstr (result.err, "at most 65536 bytes"));
  run_input (&result, huge, "--database", db, "--as", "ada", "members", "list");
  assert_failure (&result, EXIT_FAILED);
  g_assert_nonnull (strstr (result.err, "at most 65536 bytes"));

  remove_tree (dir);
}

/* A program that exits before it reads its input (a usage error) fails the
 * command, never the test: no SIGPIPE. */
static void
test_unread_input (void)
{
  const char *db = shared_demo ();
  g_autofree char *input = g_strnfill (4 * 1024 * 1024, 'p');
  g_auto(Result) result = { 0 };

  run_input (&result, input, "--database", db, "--as", DESK_DEMO_USERNAME, "members", "list",
             "--bogus");
  assert_failure (&result, EXIT_USAGE);
  run_input (&result, input, "--database", db, "members", "add-first-admin");
  assert_failure (&result, EXIT_USAGE);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* See the top of the file; and a known umask for the modes of new files. */
  signal (SIGPIPE, SIG_IGN);
  umask (022);

  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/init/demo", test_init_demo);
  g_test_add_func ("/cli/init/empty", test_init_empty);
  g_test_add_func ("/cli/members/add-first-admin", test_add_first_admin);
  g_test_add_func ("/cli/members/list", test_members_list);
  g_test_add_func ("/cli/members/search", test_members_search);
  g_test_add_func ("/cli/members/show", test_members_show);
  g_test_add_func ("/cli/clients/filters", test_clients_filters);
  g_test_add_func ("/cli/clients/search", test_clients_search);
  g_test_add_func ("/cli/clients/show", test_clients_show);
  g_test_add_func ("/cli/json/escaping", test_json_escaping);
  g_test_add_func ("/cli/init/deterministic", test_determinism);
  g_test_add_func ("/cli/errors/no-database", test_error_no_database);
  g_test_add_func ("/cli/errors/missing-file", test_error_missing_file);
  g_test_add_func ("/cli/errors/not-a-database", test_error_not_a_database);
  g_test_add_func ("/cli/errors/init-existing", test_error_init_existing);
  g_test_add_func ("/cli/errors/usage", test_error_usage);
  g_test_add_func ("/cli/errors/unknown-record", test_error_unknown_record);
  g_test_add_func ("/cli/errors/read-only", test_error_read_only);
  g_test_add_func ("/cli/errors/too-new", test_error_too_new);
  g_test_add_func ("/cli/errors/corrupt", test_error_corrupt);
  g_test_add_func ("/cli/errors/locked", test_error_locked);
  g_test_add_func ("/cli/audit", test_audit);
  g_test_add_func ("/cli/audit/filters", test_audit_filters);
  g_test_add_func ("/cli/sign-in/required", test_sign_in_required);
  g_test_add_func ("/cli/audit/permission-first", test_audit_permission_first);
  g_test_add_func ("/cli/search/bounds", test_search_bounds);
  g_test_add_func ("/cli/password/long", test_long_password);
  g_test_add_func ("/cli/input/unread", test_unread_input);

  status = g_test_run ();

  if (shared_dir != NULL)
    remove_tree (shared_dir);
  g_clear_pointer (&shared_dir, g_free);
  g_clear_pointer (&shared_db, g_free);

  return status;
}
