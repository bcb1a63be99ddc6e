/* test-search-text.c: what a search may be, in desk_search_text_check() and
 * in the list models that every view and the command line search through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "desk-record-list.h"
#include "desk-search-text.h"
#include "desk-store.h"
#include "desk-test-util.h"

static char *
repeat_words (const char *word,
              guint       n)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "", word);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
repeat_text (const char *text,
             guint       n)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (out, text);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_refused (const char *text,
                int         code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (desk_search_text_check (text, &error));
  g_assert_error (error, DESK_SEARCH_TEXT_ERROR, code);
  g_assert_null (strstr (error->message, "SQL"));
  g_assert_cmpuint (strlen (error->message), >, 20);
}

static void
assert_accepted (const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_search_text_check (text, &error));
  g_assert_no_error (error);
}

static void
test_check (void)
{
  g_autofree char *words_16 = repeat_words ("lee", 16);
  g_autofree char *words_17 = repeat_words ("lee", 17);
  g_autofree char *words_1000 = repeat_words ("a", 1000);
  g_autofree char *chars_200 = repeat_text ("x", 200);
  g_autofree char *chars_201 = repeat_text ("x", 201);
  g_autofree char *accents_200 = repeat_text ("é", 200);
  g_autofree char *accents_201 = repeat_text ("é", 201);
  g_autofree char *emoji_200 = repeat_text ("\xf0\x9f\x98\x80", 200);
  g_autofree char *bytes_10000 = repeat_text ("y", 10000);
  g_autofree char *spaces = repeat_text (" ", 150);
  g_autofree char *padded_16 = g_strconcat ("  ", words_16, "   ", NULL);

  assert_accepted (NULL);
  assert_accepted ("");
  assert_accepted ("   ");
  assert_accepted ("Zoë O'Brien-Lee \"514\" 555%_\\ (a OR b) NEAR* ^:");

  /* 16 words; spaces around them are not words. */
  assert_accepted (words_16);
  assert_accepted (padded_16);
  assert_refused (words_17, DESK_SEARCH_TEXT_ERROR_TOO_MANY_WORDS);
  assert_refused (words_1000, DESK_SEARCH_TEXT_ERROR_TOO_MANY_WORDS);

  /* 200 characters, not bytes. */
  assert_accepted (chars_200);
  assert_accepted (accents_200);
  assert_accepted (emoji_200);
  assert_accepted (spaces);
  assert_refused (chars_201, DESK_SEARCH_TEXT_ERROR_TOO_LONG);
  assert_refused (accents_201, DESK_SEARCH_TEXT_ERROR_TOO_LONG);
  assert_refused (bytes_10000, DESK_SEARCH_TEXT_ERROR_TOO_LONG);

  /* Not text. */
  assert_refused ("lee\xff", DESK_SEARCH_TEXT_ERROR_NOT_TEXT);
  assert_refused ("\xc3", DESK_SEARCH_TEXT_ERROR_NOT_TEXT);
  assert_refused ("\xc0\xaf", DESK_SEARCH_TEXT_ERROR_NOT_TEXT);            /* overlong "/" */
  assert_refused ("\xed\xa0\x80", DESK_SEARCH_TEXT_ERROR_NOT_TEXT);        /* a surrogate */
  assert_refused ("lee\tmorgan", DESK_SEARCH_TEXT_ERROR_NOT_TEXT);
  assert_refused ("lee\n", DESK_SEARCH_TEXT_ERROR_NOT_TEXT);
  assert_refused ("\r", DESK_SEARCH_TEXT_ERROR_NOT_TEXT);
  assert_refused ("\x1b[2J", DESK_SEARCH_TEXT_ERROR_NOT_TEXT);
  assert_refused ("a\x7f", DESK_SEARCH_TEXT_ERROR_NOT_TEXT);
  assert_refused ("a\xc2\x85", DESK_SEARCH_TEXT_ERROR_NOT_TEXT);           /* U+0085 */
}

static void
load (DeskRecordList *list)
{
  g_autoptr(GError) error = NULL;

  desk_record_list_load_sync (list, NULL, &error);
  g_assert_no_error (error);
}

static void
wait_loaded (DeskRecordList *list)
{
  while (desk_record_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);
}

/* A refused search matches nothing and says why, in the background (the
 * views) and at once (the command line); a good one after it works again. */
static void
test_list (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(DeskStore) store = desk_test_demo_store (path, 300, 4);
  g_autofree char *words_1000 = repeat_words ("lee", 1000);
  g_autofree char *word_10000 = repeat_text ("x", 10000);
  const char *refused[] = { words_1000, word_10000, "lee\xff", "lee\tmorgan" };
  const char *searches[] = {
    /* Within the bounds, the hardest for the trigram index: sixteen two-letter
     * words (each an OR of every letter of the clinic's names), and syntax. */
    "le le le le le le le le le le le le le le le le",
    "ab cd ef gh ij kl mn op qr st uv wx yz ée ço ñü",
    "\"\" \"a\" a\" \"a ab\" \"ab NEAR(a) a:b ^a a* ( - % _\\ ';",
  };
  DeskRecordList *lists[3];
  guint n_all[3];

  lists[0] = desk_record_list_new_clients (store);
  lists[1] = desk_record_list_new_members (store, DESK_MEMBER_STATUS_ACTIVE);
  lists[2] = desk_record_list_new_members (store, DESK_MEMBER_STATUS_DEACTIVATED);

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      DeskRecordList *list = lists[l];

      /* The whole list first: the clients' name order ranks later searches. */
      load (list);
      n_all[l] = g_list_model_get_n_items (G_LIST_MODEL (list));
      g_assert_cmpuint (n_all[l], >, 0);

      for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
        {
          g_autoptr(GError) error = NULL;
          const GError *list_error;

          /* In the background. */
          desk_record_list_set_search (list, "");
          wait_loaded (list);
          g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n_all[l]);
          desk_record_list_set_search (list, refused[i]);
          list_error = desk_record_list_get_error (list);
          g_assert_nonnull (list_error);
          g_assert_true (list_error->domain == DESK_SEARCH_TEXT_ERROR);
          wait_loaded (list);
          g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
          list_error = desk_record_list_get_error (list);
          g_assert_nonnull (list_error);
          g_assert_true (list_error->domain == DESK_SEARCH_TEXT_ERROR);

          /* At once. */
          desk_record_list_set_search (list, "");
          load (list);
          desk_record_list_set_search (list, refused[i]);
          g_assert_false (desk_record_list_load_sync (list, NULL, &error));
          g_assert_true (error->domain == DESK_SEARCH_TEXT_ERROR);
          g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
        }

      /* A good search again: the error is gone. */
      desk_record_list_set_search (list, "");
      g_assert_null (desk_record_list_get_error (list));
      wait_loaded (list);
      g_assert_null (desk_record_list_get_error (list));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n_all[l]);

      for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
        {
          desk_record_list_set_search (list, searches[i]);
          load (list);
          desk_record_list_set_search (list, "");
          load (list);
          desk_record_list_set_search (list, searches[i]);
          wait_loaded (list);
          g_assert_null (desk_record_list_get_error (list));
        }
    }

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    g_assert_finalize_object (lists[l]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search-text/check", test_check);
  g_test_add_func ("/search-text/list", test_list);

  return g_test_run ();
}
