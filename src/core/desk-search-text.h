/* desk-search-text.h: what a search of members or clients may be
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DESK_SEARCH_TEXT_ERROR (desk_search_text_error_quark ())

typedef enum
{
  DESK_SEARCH_TEXT_ERROR_NOT_TEXT,        /* not UTF-8, or a control character */
  DESK_SEARCH_TEXT_ERROR_TOO_LONG,
  DESK_SEARCH_TEXT_ERROR_TOO_MANY_WORDS,
} DeskSearchTextError;

/* The bounds of a search: a name, an e-mail address and a phone number
 * together fit in them many times over. */
#define DESK_SEARCH_TEXT_MAX_CHARS 200
#define DESK_SEARCH_TEXT_MAX_WORDS 16

GQuark   desk_search_text_error_quark (void);

/* Whether @text (NULL is the empty search) may be searched for: valid
 * UTF-8 without control characters, at most DESK_SEARCH_TEXT_MAX_CHARS
 * characters and DESK_SEARCH_TEXT_MAX_WORDS words.  Fails with a
 * DESK_SEARCH_TEXT_ERROR that says which. */
gboolean desk_search_text_check       (const char  *text,
                                       GError     **error);

G_END_DECLS
