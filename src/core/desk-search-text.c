/* desk-search-text.c: what a search of members or clients may be
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every word of a search becomes a term of an SQL or FTS5 query.  Without
 * a bound, a pasted page makes SQLite refuse the query in its own words
 * ("Expression tree is too large") or take seconds; bad bytes reach the
 * folding code.  The command line and the list models both check here, so
 * a person gets one sentence they understand, the same everywhere.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-search-text.h"

G_DEFINE_QUARK (desk-search-text-error-quark, desk_search_text_error)

gboolean
desk_search_text_check (const char  *text,
                        GError     **error)
{
  glong n_chars = 0;
  guint n_words = 0;
  gboolean in_word = FALSE;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL)
    return TRUE;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, DESK_SEARCH_TEXT_ERROR, DESK_SEARCH_TEXT_ERROR_NOT_TEXT,
                           _("The search has characters that are not text. Type it again."));
      return FALSE;
    }

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        {
          g_set_error_literal (error, DESK_SEARCH_TEXT_ERROR, DESK_SEARCH_TEXT_ERROR_NOT_TEXT,
                               _("A search cannot have tabs, line breaks or other control "
                                 "characters."));
          return FALSE;
        }

      n_chars++;
      if (g_unichar_isspace (c))
        in_word = FALSE;
      else if (!in_word)
        {
          in_word = TRUE;
          n_words++;
        }
    }

  if (n_words > DESK_SEARCH_TEXT_MAX_WORDS)
    {
      g_set_error (error, DESK_SEARCH_TEXT_ERROR, DESK_SEARCH_TEXT_ERROR_TOO_MANY_WORDS,
                   /* Translators: %d is a number of words, 16 */
                   _("A search can have at most %d words. Search for fewer words."),
                   DESK_SEARCH_TEXT_MAX_WORDS);
      return FALSE;
    }
  if (n_chars > DESK_SEARCH_TEXT_MAX_CHARS)
    {
      g_set_error (error, DESK_SEARCH_TEXT_ERROR, DESK_SEARCH_TEXT_ERROR_TOO_LONG,
                   /* Translators: %d is a number of characters, 200 */
                   _("A search can be at most %d characters long. Search for fewer words."),
                   DESK_SEARCH_TEXT_MAX_CHARS);
      return FALSE;
    }

  return TRUE;
}
