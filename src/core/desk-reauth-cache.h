/* desk-reauth-cache.h: re-authentication tokens kept in the user's keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Every call is asynchronous and gives up after @timeout_ms; any failure
 * (no keyring, a locked one, no secret portal, a timeout) reads as "nothing
 * cached", and nothing is ever kept anywhere else. */
void     desk_reauth_cache_store_async   (const char          *clinic_uuid,
                                          gint64               member_id,
                                          const char          *token,
                                          guint                timeout_ms,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean desk_reauth_cache_store_finish  (GAsyncResult        *result,
                                          GError             **error);

void     desk_reauth_cache_lookup_async  (const char          *clinic_uuid,
                                          gint64               member_id,
                                          guint                timeout_ms,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* The token, or NULL (with @error saying why) when none could be read. */
char    *desk_reauth_cache_lookup_finish (GAsyncResult        *result,
                                          GError             **error);

/* Forgets every token of this clinic (sign-out, lock). */
void     desk_reauth_cache_clear_async   (const char          *clinic_uuid,
                                          guint                timeout_ms,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean desk_reauth_cache_clear_finish  (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
