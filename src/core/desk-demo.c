/* desk-demo.c: a realistic demo clinic, deterministic from a seed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is drawn from one GRand seeded with the options' seed, and
 * every time is relative to the reference time, so a seed and a reference
 * time give the same clinic, row for row.  Rows are written with prepared
 * statements in one transaction; the database is out of WAL mode meanwhile
 * (a fresh file has nothing to protect, and WAL would write it all twice).
 *
 * It is longer than the 900 lines a source file is otherwise kept under
 * because it is one thing: a generator whose tables of names, titles and
 * reasons and whose per-table writers share one random stream and one
 * order, which a split would only scatter.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desk-member.h"
#include "desk-audit-private.h"
#include "desk-client-search.h"
#include "desk-delivery-private.h"
#include "desk-demo.h"
#include "desk-json.h"
#include "desk-store-private.h"

#define DAY (24 * 60 * 60)

static const char *given_names[] = {
  "Olivia", "Liam", "Emma", "Noah", "Charlotte", "William", "Amelia", "Benjamin", "Ava",
  "Lucas", "Sophia", "Jacob", "Chloé", "Thomas", "Léa", "Félix", "Florence", "Samuel",
  "Alice", "Gabriel", "Zoé", "Nathan", "Camille", "Louis", "Rosalie", "Émile", "Maëlle",
  "Raphaël", "Béatrice", "Mathis", "Priya", "Arjun", "Mei", "Wei", "Fatima", "Omar",
  "Aisha", "Yusuf", "Sofía", "Mateo", "Isabella", "Diego", "Hannah", "Ethan", "Grace",
  "Owen", "Maya", "Daniel", "Nora", "Jack", "Claire", "Henry", "Sarah", "Michael", "Julie",
  "David", "Marie", "Jean", "Nicole", "Pierre", "Anne", "Robert", "Linda", "Kwame", "Amara",
  "Haruto", "Yuna", "Dmitri", "Anya", "Siobhan", "Declan", "Ngozi", "Tariq", "Leila",
};

static const char *family_names[] = {
  "Smith", "Brown", "Tremblay", "Martin", "Roy", "Wilson", "MacDonald", "Gagnon", "Johnson",
  "Taylor", "Côté", "Campbell", "Anderson", "Leblanc", "Lee", "Jones", "White", "Williams",
  "Miller", "Thompson", "Gauthier", "Young", "Van der Berg", "Morin", "Bouchard", "Scott",
  "Stewart", "Bélanger", "Pelletier", "Lévesque", "Fortin", "Lavoie", "Ouellet", "Girard",
  "Caron", "Poirier", "Bergeron", "Nguyen", "Tran", "Chen", "Wang", "Li", "Zhang", "Singh",
  "Patel", "Sharma", "Kaur", "Gill", "Khan", "Ali", "Hussain", "Ahmed", "Rodriguez", "Garcia",
  "Martinez", "Silva", "Santos", "O'Brien", "O'Connor", "Murphy", "Kelly", "Ryan", "Walsh",
  "Kowalski", "Nowak", "Schmidt", "Müller", "Rossi", "Bianchi", "Papadopoulos", "Cohen",
  "Levi", "Okafor", "Mensah", "Diallo", "Yamamoto", "Tanaka", "Kim", "Park", "Ivanov",
  "Dubois", "Lefebvre", "Beaulieu", "St-Pierre", "Desjardins", "Fraser", "Mackenzie",
};

typedef struct
{
  const char *code;
  guint       weight;
} Province;

static const Province provinces[] = {
  { "ON", 40 }, { "QC", 24 }, { "BC", 13 }, { "AB", 11 }, { "MB", 4 }, { "SK", 3 },
  { "NS", 3 }, { "NB", 2 },
};

static const char *provider_titles[] = {
  N_("Family physician"), N_("Nurse practitioner"), N_("Registered nurse"),
  N_("Physiotherapist"), N_("Psychotherapist"), N_("Dietitian"), N_("Occupational therapist"),
};
static const char *employee_titles[] = {
  N_("Front desk"), N_("Billing clerk"), N_("Office manager"), N_("Medical secretary"),
};

typedef struct
{
  const char *name;
  const char *permissions[4];
} Role;

static const Role roles[] = {
  { "Administrator", { "edit-users", "manage-clients", "manage-labs", "view-audit" } },
  { "Clinical director", { "edit-users", "manage-clients", "view-audit" } },
  { "Practitioner", { "manage-clients" } },
  { "Front desk", { "manage-clients" } },
  { "Billing", { NULL } },
  { "Lab coordinator", { "manage-labs" } },
};
enum { ROLE_ADMIN = 1, ROLE_DIRECTOR, ROLE_PRACTITIONER, ROLE_FRONT_DESK, ROLE_BILLING, ROLE_LAB };

static const char *groups[] = {
  "Family medicine", "Mental health", "Physiotherapy", "Nutrition", "Front office",
  "Billing office",
};

static const char *appointment_kinds[] = {
  "Initial assessment", "Follow-up", "Annual physical", "Therapy session", "Telehealth",
  "Vaccination", "Consultation",
};

static const char *qnaire_titles[] = {
  "Intake questionnaire", "PHQ-9", "GAD-7", "Pain scale", "Consent form",
  "Satisfaction survey", "Nutrition diary",
};

static const char *subjects[] = {
  "Prescription renewal request", "Question about my appointment", "Lab results follow-up",
  "Billing question", "Referral letter", "Rescheduling request", "Intake form completed",
  "Demande de renouvellement", "Question sur mon rendez-vous", "Résultats d’analyses",
};

static const char *discharge_reasons[] = {
  "Treatment completed", "Moved away", "Transferred to another clinic",
  "No contact for 18 months", "Client request",
};

static const char *lab_names[] = { "LifeLabs", "Dynacare", "CDL Laboratories", "Biron" };

static const char *document_titles[] = {
  "Treatment plan", "Visit summary", "Exercise program", "Referral letter",
  "Consent form", "Invoice", "Care instructions",
};

typedef struct
{
  sqlite3      *db;
  GRand        *rand;
  gint64        now;
  GError      **error;
  GPtrArray    *statements;
} Gen;

/* Helpers */

static sqlite3_stmt *
prepare (Gen        *gen,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (gen->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _desk_db_set_error (gen->error, gen->db, rc, _("creating the demo clinic"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_ptr_array_add (gen->statements, stmt);
  return stmt;
}

static gboolean
step (Gen          *gen,
      sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (gen->error, gen->db, rc, _("creating the demo clinic"));
      return FALSE;
    }
  return TRUE;
}

static guint
pick (Gen  *gen,
      guint n)
{
  return (guint) g_rand_int_range (gen->rand, 0, (gint32) n);
}

static gboolean
chance (Gen    *gen,
        double  p)
{
  return g_rand_double (gen->rand) < p;
}

static const char *
pick_province (Gen *gen)
{
  guint total = 0, r;

  for (guint i = 0; i < G_N_ELEMENTS (provinces); i++)
    total += provinces[i].weight;
  r = pick (gen, total);
  for (guint i = 0; i < G_N_ELEMENTS (provinces); i++)
    {
      if (r < provinces[i].weight)
        return provinces[i].code;
      r -= provinces[i].weight;
    }
  return provinces[0].code;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           column,
           const char   *text)
{
  sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
}

/* ASCII letters of @name, lower case: usernames and e-mail addresses. */
static char *
ascii_key (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalpha (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
    }
  return g_string_free (out, FALSE);
}

static gint64
working_time (Gen    *gen,
              gint64  day_start)
{
  /* 8:00 to 17:45, on quarter hours. */
  return day_start + 8 * 3600 + pick (gen, 40) * 15 * 60;
}

/* The clinic's members */

typedef struct
{
  gint64      id;
  gboolean    provider;
  gboolean    active;
  const char *province;
  GArray     *receivers;   /* deactivated: who receives their messages (desk-delivery.c) */
} MemberInfo;

static gboolean
insert_member (Gen         *gen,
               sqlite3_stmt *stmt,
               sqlite3_stmt *role_stmt,
               sqlite3_stmt *group_stmt,
               GHashTable   *usernames,
               MemberInfo   *info,
               const char   *given,
               const char   *family,
               const char   *username_hint,
               gboolean      provider,
               const char   *title,
               int           role,
               int           group,
               const char   *password_hash,
               gint64        deactivated_by)
{
  g_autofree char *given_key = ascii_key (given);
  g_autofree char *family_key = ascii_key (family);
  g_autofree char *base = username_hint != NULL ? g_strdup (username_hint)
                                                : g_strdup_printf ("%c%s", given_key[0],
                                                                   family_key);
  g_autofree char *username = g_strdup (base);
  g_autofree char *email = NULL;
  g_autofree char *search = NULL;
  g_autofree char *sort = NULL;

  for (guint n = 2; g_hash_table_contains (usernames, username); n++)
    {
      g_free (username);
      username = g_strdup_printf ("%s%u", base, n);
    }
  g_hash_table_add (usernames, g_strdup (username));
  email = g_strdup_printf ("%s@clinic.example.ca", username);
  search = _desk_member_search_text (given, family, username, email);
  sort = _desk_sort_key (given, family);

  bind_text (stmt, 1, username);
  bind_text (stmt, 2, given);
  bind_text (stmt, 3, family);
  bind_text (stmt, 4, email);
  bind_text (stmt, 5, provider ? "provider" : "employee");
  bind_text (stmt, 6, title);
  bind_text (stmt, 7, info->province);
  bind_text (stmt, 8, password_hash);
  if (info->active)
    {
      sqlite3_bind_text (stmt, 9, "active", -1, SQLITE_STATIC);
      sqlite3_bind_null (stmt, 10);
      sqlite3_bind_null (stmt, 11);
      sqlite3_bind_null (stmt, 12);
    }
  else
    {
      sqlite3_bind_text (stmt, 9, "deactivated", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 10, gen->now - (gint64) (30 + pick (gen, 700)) * DAY);
      sqlite3_bind_int64 (stmt, 11, deactivated_by);
      sqlite3_bind_text (stmt, 12, chance (gen, 0.5) ? "Left the clinic" : "Retired", -1,
                         SQLITE_STATIC);
    }
  sqlite3_bind_int64 (stmt, 13, gen->now - (gint64) (800 + pick (gen, 2000)) * DAY);
  bind_text (stmt, 14, search);
  bind_text (stmt, 15, sort);
  if (!step (gen, stmt))
    return FALSE;

  info->id = sqlite3_last_insert_rowid (gen->db);
  info->provider = provider;

  sqlite3_bind_int64 (role_stmt, 1, info->id);
  sqlite3_bind_int (role_stmt, 2, role);
  if (!step (gen, role_stmt))
    return FALSE;
  if (group > 0)
    {
      sqlite3_bind_int64 (group_stmt, 1, info->id);
      sqlite3_bind_int (group_stmt, 2, group);
      if (!step (gen, group_stmt))
        return FALSE;
    }
  return TRUE;
}

static gboolean
populate_members (Gen        *gen,
                  guint       n_members,
                  GArray     *members,
                  GArray     *providers)
{
  g_autoptr(GHashTable) usernames = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  char password_hash[crypto_pwhash_STRBYTES];
  sqlite3_stmt *stmt, *role_stmt, *group_stmt, *perm_stmt, *status_stmt;

  /* One Argon2id hash for every demo member: OWASP's minimum, 19 MiB and 2 passes. */
  if (crypto_pwhash_str (password_hash, DESK_DEMO_PASSWORD, strlen (DESK_DEMO_PASSWORD),
                         2, 19 * 1024 * 1024) != 0)
    {
      g_set_error (gen->error, DESK_STORE_ERROR, DESK_STORE_ERROR_FAILED,
                   _("Not enough memory to protect the demo password."));
      return FALSE;
    }

  stmt = prepare (gen, "INSERT INTO roles (id, name) VALUES (?, ?)");
  perm_stmt = prepare (gen, "INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)");
  if (stmt == NULL || perm_stmt == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      sqlite3_bind_int (stmt, 1, i + 1);
      bind_text (stmt, 2, roles[i].name);
      if (!step (gen, stmt))
        return FALSE;
      for (guint p = 0; p < G_N_ELEMENTS (roles[i].permissions) && roles[i].permissions[p]; p++)
        {
          sqlite3_bind_int (perm_stmt, 1, i + 1);
          bind_text (perm_stmt, 2, roles[i].permissions[p]);
          if (!step (gen, perm_stmt))
            return FALSE;
        }
    }
  stmt = prepare (gen, "INSERT INTO groups (id, name) VALUES (?, ?)");
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      sqlite3_bind_int (stmt, 1, i + 1);
      bind_text (stmt, 2, groups[i]);
      if (!step (gen, stmt))
        return FALSE;
    }

  stmt = prepare (gen, "INSERT INTO members (username, given_name, family_name, email, kind,"
                       " title, province, password_hash, status, deactivated_at, deactivated_by,"
                       " deactivation_reason, created_at, search_text, sort_key)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  role_stmt = prepare (gen, "INSERT INTO member_roles (member_id, role_id) VALUES (?, ?)");
  group_stmt = prepare (gen, "INSERT INTO member_groups (member_id, group_id) VALUES (?, ?)");
  status_stmt = prepare (gen, "INSERT INTO member_status_changes (member_id, change, at,"
                              " by_member_id, reason) SELECT id, 'deactivated', deactivated_at,"
                              " deactivated_by, deactivation_reason FROM members"
                              " WHERE status = 'deactivated'");
  if (stmt == NULL || role_stmt == NULL || group_stmt == NULL || status_stmt == NULL)
    return FALSE;

  for (guint i = 0; i < n_members; i++)
    {
      MemberInfo info = { 0, FALSE, TRUE, "ON" };
      const char *given = given_names[pick (gen, G_N_ELEMENTS (given_names))];
      const char *family = family_names[pick (gen, G_N_ELEMENTS (family_names))];
      const char *hint = NULL;
      gboolean provider;
      const char *title;
      int role, group;

      /* The demo administrator, a clinical director, a lab coordinator,
       * front desk and billing staff come first; the rest are mostly
       * providers. */
      switch (i)
        {
        case 0:
          given = "Morgan", family = "Tremblay", hint = DESK_DEMO_USERNAME;
          provider = FALSE, title = employee_titles[2], role = ROLE_ADMIN, group = 5;
          break;
        case 1:
          provider = TRUE, title = provider_titles[0], role = ROLE_DIRECTOR, group = 1;
          break;
        case 2:
          provider = FALSE, title = employee_titles[3], role = ROLE_LAB, group = 5;
          break;
        case 3:
          provider = FALSE, title = employee_titles[0], role = ROLE_FRONT_DESK, group = 5;
          break;
        case 4:
          provider = FALSE, title = employee_titles[1], role = ROLE_BILLING, group = 6;
          break;
        default:
          provider = chance (gen, 0.7);
          if (provider)
            {
              guint t = pick (gen, G_N_ELEMENTS (provider_titles));

              title = provider_titles[t];
              role = ROLE_PRACTITIONER;
              group = t <= 2 ? 1 : t == 3 ? 3 : t == 4 ? 2 : 4;
            }
          else
            {
              guint t = pick (gen, G_N_ELEMENTS (employee_titles));

              title = employee_titles[t];
              role = t == 1 ? ROLE_BILLING : ROLE_FRONT_DESK;
              group = t == 1 ? 6 : 5;
            }
          info.province = pick_province (gen);
          /* Member 5 has left, so that every demo has a deactivated member. */
          info.active = i != 5 && !chance (gen, 0.06);
          break;
        }

      if (!insert_member (gen, stmt, role_stmt, group_stmt, usernames, &info, given, family,
                          hint, provider, title, role, group, password_hash,
                          members->len > 0 ? g_array_index (members, MemberInfo, 0).id : 0))
        return FALSE;
      g_array_append_val (members, info);
      if (provider && info.active)
        g_array_append_val (providers, info);
    }

  return step (gen, status_stmt);
}

/* Lab integrations and billing */

static gboolean
populate_integrations (Gen    *gen,
                       GArray *members,
                       GArray *providers)
{
  sqlite3_stmt *lab, *billing;
  guint n_labs = MAX (1, providers->len / 25 + 1);

  lab = prepare (gen, "INSERT INTO lab_integrations (lab_name, account_number, member_id,"
                      " is_main, created_at) VALUES (?, ?, ?, ?, ?)");
  billing = prepare (gen, "INSERT INTO billing_connections (member_id, system, province,"
                          " billing_number, status, connected_at, disconnected_at,"
                          " disconnect_reason) VALUES (?, 'mdbilling', 'ON', ?, ?, ?, ?, ?)");
  if (lab == NULL || billing == NULL)
    return FALSE;

  for (guint i = 0; i < n_labs; i++)
    {
      /* The main integration uses the clinical director's identity. */
      const MemberInfo *m = i == 0 ? &g_array_index (members, MemberInfo, 1)
                                   : &g_array_index (providers, MemberInfo,
                                                     pick (gen, providers->len));
      g_autofree char *account = g_strdup_printf ("%c%07u", 'A' + (int) pick (gen, 26),
                                                  pick (gen, 10000000));

      bind_text (lab, 1, lab_names[i % G_N_ELEMENTS (lab_names)]);
      bind_text (lab, 2, account);
      sqlite3_bind_int64 (lab, 3, m->id);
      sqlite3_bind_int (lab, 4, i == 0);
      sqlite3_bind_int64 (lab, 5, gen->now - (gint64) (100 + pick (gen, 1500)) * DAY);
      if (!step (gen, lab))
        return FALSE;
    }

  for (guint i = 0; i < members->len; i++)
    {
      const MemberInfo *m = &g_array_index (members, MemberInfo, i);
      g_autofree char *number = NULL;
      gint64 connected;

      if (!m->provider || g_strcmp0 (m->province, "ON") != 0 || !chance (gen, 0.6))
        continue;

      number = g_strdup_printf ("%06u", pick (gen, 1000000));
      connected = gen->now - (gint64) (60 + pick (gen, 1500)) * DAY;
      sqlite3_bind_int64 (billing, 1, m->id);
      bind_text (billing, 2, number);
      sqlite3_bind_int64 (billing, 4, connected);
      if (m->active)
        {
          sqlite3_bind_text (billing, 3, "connected", -1, SQLITE_STATIC);
          sqlite3_bind_null (billing, 5);
          sqlite3_bind_null (billing, 6);
        }
      else
        {
          sqlite3_bind_text (billing, 3, "disconnected", -1, SQLITE_STATIC);
          sqlite3_bind_int64 (billing, 5, connected + 30 * DAY);
          sqlite3_bind_text (billing, 6, "Member deactivated", -1, SQLITE_STATIC);
        }
      if (!step (gen, billing))
        return FALSE;
    }

  return TRUE;
}

/* Clients and everything about them
 *
 * Two threads write them at once: this one the clients, their portal
 * invitations and recurring Qnaires (and then the search index); a worker
 * their appointments, sent Qnaires, messages, inbox items and documents,
 * into a scratch database copied in at the end.  What
 * both need of a client is drawn first, in ClientCore; each thread then
 * draws from its own generator, so the result stays the same for a seed. */

typedef struct
{
  guint16  given;          /* index into given_names */
  guint16  family;         /* index into family_names */
  guint32  practitioner;   /* index into the active providers */
  gboolean active;
} ClientCore;

typedef struct
{
  sqlite3_stmt *client, *invitation, *credential, *qnaire_schedule;
} ClientStatements;

/* DESK_DEMO_PORTAL_PASSWORD, hashed once (Argon2id, the sign-in's
 * parameters): the same for every demo client, and the same in every demo,
 * which is deterministic. */
static const char demo_portal_hash[] =
  "$argon2id$v=19$m=19456,t=2,p=1$1MeBIz18Yq8V0DKJHem6UQ$F6ud1RTdCBFSmJfTg/FNKmdRrXK5PO/UXweSV4p6sC4";

typedef struct
{
  sqlite3_stmt *appointment, *qnaire_send, *message, *inbox, *document, *share;
} RecordStatements;

static gboolean
populate_client (Gen                    *gen,
                 const ClientStatements *s,
                 const ClientCore       *core,
                 GArray                 *providers,
                 guint                   index)
{
  const char *given = given_names[core->given];
  const char *family = family_names[core->family];
  const MemberInfo *practitioner = &g_array_index (providers, MemberInfo, core->practitioner);
  g_autofree char *given_key = ascii_key (given);
  g_autofree char *family_key = ascii_key (family);
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *dob = NULL;
  g_autofree char *search = NULL;
  g_autofree char *sort = NULL;
  gboolean active = core->active;
  double portal = g_rand_double (gen->rand);
  const char *access, *invitation;
  gint64 client_id, created;

  email = g_strdup_printf ("%s.%s%u@example.com", given_key, family_key, index % 1000);
  phone = g_strdup_printf ("(%03u) 555-01%02u", 200 + pick (gen, 700), pick (gen, 100));
  dob = g_strdup_printf ("%04u-%02u-%02u", 1930 + pick (gen, 93), 1 + pick (gen, 12),
                         1 + pick (gen, 28));
  search = _desk_client_search_text (given, family, email, phone);
  sort = _desk_sort_key (given, family);
  created = gen->now - (gint64) (400 + pick (gen, 3000)) * DAY;

  /* Inactive clients keep whatever portal access they had: the two are separate. */
  if (portal < 0.62)
    access = "enabled", invitation = "accepted";
  else if (portal < 0.70)
    access = "enabled", invitation = "pending";
  else if (portal < 0.80)
    access = "disabled", invitation = "accepted";
  else
    access = "disabled", invitation = "none";

  bind_text (s->client, 1, given);
  bind_text (s->client, 2, family);
  bind_text (s->client, 3, dob);
  bind_text (s->client, 4, email);
  bind_text (s->client, 5, phone);
  bind_text (s->client, 6, practitioner->province);
  sqlite3_bind_int64 (s->client, 7, practitioner->id);
  sqlite3_bind_text (s->client, 8, active ? "active" : "inactive", -1, SQLITE_STATIC);
  if (active)
    {
      sqlite3_bind_null (s->client, 9);
      sqlite3_bind_null (s->client, 10);
    }
  else
    {
      sqlite3_bind_int64 (s->client, 9, gen->now - (gint64) (1 + pick (gen, 600)) * DAY);
      sqlite3_bind_text (s->client, 10,
                         discharge_reasons[pick (gen, G_N_ELEMENTS (discharge_reasons))], -1,
                         SQLITE_STATIC);
    }
  sqlite3_bind_text (s->client, 11, access, -1, SQLITE_STATIC);
  sqlite3_bind_text (s->client, 12, invitation, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s->client, 13, created);
  bind_text (s->client, 14, search);
  bind_text (s->client, 15, sort);
  if (!step (gen, s->client))
    return FALSE;
  client_id = sqlite3_last_insert_rowid (gen->db);
  /* The other thread counts on it: clients are numbered in order from 1. */
  g_assert (client_id == (gint64) index + 1);

  if (strcmp (invitation, "none") != 0)
    {
      guint8 token[16];
      gint64 sent = created + (gint64) pick (gen, 300) * DAY;

      for (guint i = 0; i < sizeof token; i++)
        token[i] = (guint8) pick (gen, 256);
      sqlite3_bind_int64 (s->invitation, 1, client_id);
      bind_text (s->invitation, 2, email);
      sqlite3_bind_blob (s->invitation, 3, token, sizeof token, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (s->invitation, 4, sent);
      sqlite3_bind_int64 (s->invitation, 5, practitioner->id);
      sqlite3_bind_int64 (s->invitation, 6, sent + 14 * DAY);
      if (strcmp (invitation, "accepted") == 0)
        sqlite3_bind_int64 (s->invitation, 7, sent + (gint64) pick (gen, 5) * DAY);
      else
        sqlite3_bind_null (s->invitation, 7);
      if (!step (gen, s->invitation))
        return FALSE;
      /* An accepted invitation set the client's portal password. */
      if (strcmp (invitation, "accepted") == 0)
        {
          g_autofree char *folded = g_utf8_strdown (email, -1);

          sqlite3_bind_int64 (s->credential, 1, client_id);
          sqlite3_bind_int64 (s->credential, 2, sqlite3_last_insert_rowid (gen->db));
          bind_text (s->credential, 3, folded);
          sqlite3_bind_text (s->credential, 4, demo_portal_hash, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (s->credential, 5, sent);
          if (!step (gen, s->credential))
            return FALSE;
        }
    }

  if (active && chance (gen, 0.1))
    {
      bind_text (s->qnaire_schedule, 1, qnaire_titles[1 + pick (gen, 3)]);
      sqlite3_bind_int64 (s->qnaire_schedule, 2, client_id);
      sqlite3_bind_int64 (s->qnaire_schedule, 3, practitioner->id);
      sqlite3_bind_int (s->qnaire_schedule, 4, chance (gen, 0.5) ? 30 : 90);
      sqlite3_bind_int64 (s->qnaire_schedule, 5, gen->now + (gint64) (1 + pick (gen, 30)) * DAY);
      if (!step (gen, s->qnaire_schedule))
        return FALSE;
    }

  return TRUE;
}

/* A client's appointments, Qnaires, messages and documents, on the worker. */
/* Who receives what is addressed to each member who has left, as
 * desk_delivery_deliver() would send it: read once, from the members just
 * written.  @owned keeps the arrays. */
static gboolean
resolve_receivers (Gen       *gen,
                   GArray    *members,
                   GPtrArray *owned)
{
  for (guint i = 0; i < members->len; i++)
    {
      MemberInfo *member = &g_array_index (members, MemberInfo, i);

      if (member->active)
        continue;
      member->receivers = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_ptr_array_add (owned, member->receivers);
      if (!_desk_delivery_resolve (gen->db, member->id, member->receivers, gen->error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
populate_client_records (Gen                    *gen,
                         const RecordStatements *s,
                         const ClientCore       *core,
                         GArray                 *members,
                         GArray                 *providers,
                         guint                   index)
{
  const MemberInfo *practitioner = &g_array_index (providers, MemberInfo, core->practitioner);
  gint64 client_id = (gint64) index + 1;
  gboolean active = core->active;
  guint n_appointments, n_messages;
  gint64 message_id;

  /* Appointments: most in the past; active clients also have future ones. */
  n_appointments = pick (gen, 7);
  for (guint i = 0; i < n_appointments; i++)
    {
      gboolean future = active && chance (gen, 0.3);
      gint64 day = gen->now + (future ? (gint64) (1 + pick (gen, 120))
                                      : -(gint64) (1 + pick (gen, 365))) * DAY;
      gint64 starts = working_time (gen, day);
      const MemberInfo *with = chance (gen, 0.85) ? practitioner
                               : &g_array_index (providers, MemberInfo, pick (gen, providers->len));
      const char *status = future ? (chance (gen, 0.05) ? "cancelled" : "booked")
                                  : (chance (gen, 0.85) ? "completed"
                                     : chance (gen, 0.5) ? "no-show" : "cancelled");
      gint64 appointment_id;

      sqlite3_bind_int64 (s->appointment, 1, client_id);
      sqlite3_bind_int64 (s->appointment, 2, with->id);
      sqlite3_bind_int64 (s->appointment, 3, starts);
      sqlite3_bind_int (s->appointment, 4, chance (gen, 0.7) ? 30 : 60);
      bind_text (s->appointment, 5, appointment_kinds[pick (gen, G_N_ELEMENTS (appointment_kinds))]);
      sqlite3_bind_text (s->appointment, 6, status, -1, SQLITE_STATIC);
      if (strcmp (status, "cancelled") == 0)
        {
          sqlite3_bind_int64 (s->appointment, 7, starts - (gint64) (1 + pick (gen, 10)) * DAY);
          sqlite3_bind_text (s->appointment, 8, "Client request", -1, SQLITE_STATIC);
        }
      else
        {
          sqlite3_bind_null (s->appointment, 7);
          sqlite3_bind_null (s->appointment, 8);
        }
      if (!step (gen, s->appointment))
        return FALSE;
      appointment_id = sqlite3_last_insert_rowid (gen->db);

      /* An intake Qnaire goes out before some appointments. */
      if (chance (gen, 0.2))
        {
          gboolean done = !future || chance (gen, 0.3);

          bind_text (s->qnaire_send, 1, qnaire_titles[pick (gen, G_N_ELEMENTS (qnaire_titles))]);
          sqlite3_bind_int64 (s->qnaire_send, 2, client_id);
          sqlite3_bind_int64 (s->qnaire_send, 3, with->id);
          sqlite3_bind_int64 (s->qnaire_send, 4, appointment_id);
          sqlite3_bind_int64 (s->qnaire_send, 5, MIN (starts - 3 * DAY, gen->now - DAY));
          if (done)
            sqlite3_bind_int64 (s->qnaire_send, 6, MIN (starts - DAY, gen->now - 1));
          else
            sqlite3_bind_null (s->qnaire_send, 6);
          sqlite3_bind_text (s->qnaire_send, 7, done ? "completed" : "sent", -1, SQLITE_STATIC);
          if (!step (gen, s->qnaire_send))
            return FALSE;
        }
    }


  /* Messages from the client to their practitioner, and between members
   * about the client; each lands in one member's inbox. */
  n_messages = pick (gen, 5);
  for (guint i = 0; i < n_messages; i++)
    {
      gboolean from_client = chance (gen, 0.6);
      const MemberInfo *sender = &g_array_index (members, MemberInfo, pick (gen, members->len));
      const MemberInfo *to = chance (gen, 0.8) ? practitioner
                             : &g_array_index (members, MemberInfo, pick (gen, members->len));
      gint64 sent = gen->now - (gint64) pick (gen, 200 * DAY);
      double state = g_rand_double (gen->rand);

      if (from_client)
        {
          sqlite3_bind_null (s->message, 1);
          sqlite3_bind_int64 (s->message, 2, client_id);
        }
      else
        {
          sqlite3_bind_int64 (s->message, 1, sender->id);
          sqlite3_bind_null (s->message, 2);
        }
      sqlite3_bind_int64 (s->message, 3, client_id);
      bind_text (s->message, 4, subjects[pick (gen, G_N_ELEMENTS (subjects))]);
      sqlite3_bind_text (s->message, 5, "Hello, could you please get back to me about this? "
                                        "Thank you.", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (s->message, 6, sent);
      if (!step (gen, s->message))
        return FALSE;

      message_id = sqlite3_last_insert_rowid (gen->db);
      /* To a member who has left: where the clinic's delivery sends it. */
      for (guint r = 0; r < (to->active ? 1 : to->receivers->len); r++)
        {
          gint64 receiver = to->active ? to->id : g_array_index (to->receivers, gint64, r);

          sqlite3_bind_int64 (s->inbox, 1, message_id);
          sqlite3_bind_int64 (s->inbox, 2, receiver);
          sqlite3_bind_int64 (s->inbox, 3, sent);
          sqlite3_bind_int (s->inbox, 4, state > 0.3);
          sqlite3_bind_text (s->inbox, 5, state < 0.45 ? "inbox" : "done", -1, SQLITE_STATIC);
          if (state < 0.06)
            sqlite3_bind_int64 (s->inbox, 6, gen->now + (gint64) (1 + pick (gen, 14)) * DAY);
          else
            sqlite3_bind_null (s->inbox, 6);
          if (to->active)
            sqlite3_bind_null (s->inbox, 7);
          else
            sqlite3_bind_int64 (s->inbox, 7, to->id);
          if (!step (gen, s->inbox))
            return FALSE;
        }
    }

  /* Documents, most of them shared with the client, whatever their status. */
  if (chance (gen, 0.6))
    {
      guint n_documents = 1 + pick (gen, 2);

      for (guint i = 0; i < n_documents; i++)
        {
          guint kind = pick (gen, 3);
          gint64 made = gen->now - (gint64) pick (gen, 700) * DAY;

          sqlite3_bind_int64 (s->document, 1, client_id);
          bind_text (s->document, 2, document_titles[pick (gen, G_N_ELEMENTS (document_titles))]);
          sqlite3_bind_text (s->document, 3, kind == 0 ? "file" : kind == 1 ? "form" : "note", -1,
                             SQLITE_STATIC);
          sqlite3_bind_int64 (s->document, 4, made);
          sqlite3_bind_int64 (s->document, 5, practitioner->id);
          if (!step (gen, s->document))
            return FALSE;

          if (kind != 2 && chance (gen, 0.8))
            {
              sqlite3_bind_int64 (s->share, 1, sqlite3_last_insert_rowid (gen->db));
              sqlite3_bind_int64 (s->share, 2, client_id);
              sqlite3_bind_int64 (s->share, 3, made + DAY);
              sqlite3_bind_int64 (s->share, 4, practitioner->id);
              if (kind == 1 && chance (gen, 0.6))
                sqlite3_bind_int64 (s->share, 5, made + 3 * DAY);
              else
                sqlite3_bind_null (s->share, 5);
              if (!step (gen, s->share))
                return FALSE;
            }
        }
    }

  return TRUE;
}

static ClientCore *
draw_client_cores (Gen    *gen,
                   guint   n_clients,
                   GArray *providers)
{
  ClientCore *cores = g_new (ClientCore, n_clients);

  for (guint i = 0; i < n_clients; i++)
    {
      cores[i].given = pick (gen, G_N_ELEMENTS (given_names));
      cores[i].family = pick (gen, G_N_ELEMENTS (family_names));
      cores[i].practitioner = pick (gen, providers->len);
      cores[i].active = !chance (gen, 0.12);
    }
  return cores;
}

static gboolean
populate_clients (Gen              *gen,
                  guint             n_clients,
                  const ClientCore *cores,
                  GArray           *providers,
                  DeskDemoProgress  progress,
                  gpointer          user_data)
{
  ClientStatements s;

  s.client = prepare (gen, "INSERT INTO clients (given_name, family_name, date_of_birth, email,"
                           " phone, province, primary_practitioner_id, status, discharged_at,"
                           " discharge_reason, portal_access, portal_invitation, created_at,"
                           " search_text, sort_key)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.invitation = prepare (gen, "INSERT INTO portal_invitations (client_id, email, token_hash,"
                               " sent_at, sent_by, expires_at, accepted_at)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)");
  s.qnaire_schedule = prepare (gen, "INSERT INTO qnaire_schedules (title, client_id,"
                                    " practitioner_id, every_days, next_send_at)"
                                    " VALUES (?, ?, ?, ?, ?)");
  s.credential = prepare (gen, "INSERT INTO portal_credentials (client_id, invitation_id, email,"
                               " password_hash, set_at) VALUES (?, ?, ?, ?, ?)");
  if (s.client == NULL || s.invitation == NULL || s.credential == NULL ||
      s.qnaire_schedule == NULL)
    return FALSE;

  for (guint i = 0; i < n_clients; i++)
    {
      if (!populate_client (gen, &s, &cores[i], providers, i))
        return FALSE;
      if (progress != NULL && (i % 10000) == 0)
        progress ((double) i / n_clients, user_data);
    }

  return TRUE;
}

/* The worker's share, written into a scratch database. */
typedef struct
{
  Gen               gen;
  const ClientCore *cores;
  guint             n_clients;
  GArray           *members;
  GArray           *providers;
  GError           *error;
  gboolean          ok;
} RecordJob;

static gboolean drop_indexes    (Gen       *gen,
                                 GPtrArray *deferred);
static gboolean restore_indexes (Gen       *gen,
                                 GPtrArray *deferred);

static gpointer
record_thread (gpointer data)
{
  RecordJob *job = data;
  Gen *gen = &job->gen;
  g_autoptr(GPtrArray) deferred = g_ptr_array_new_with_free_func (g_free);
  RecordStatements s;

  gen->error = &job->error;
  if (!_desk_db_exec (gen->db, "BEGIN", gen->error) || !drop_indexes (gen, deferred))
    goto out;

  s.appointment = prepare (gen, "INSERT INTO appointments (client_id, practitioner_id, starts_at,"
                                " duration_minutes, kind, status, cancelled_at, cancel_reason)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  s.qnaire_send = prepare (gen, "INSERT INTO qnaire_sends (title, client_id, practitioner_id,"
                                " appointment_id, sent_at, completed_at, status)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?)");
  s.message = prepare (gen, "INSERT INTO messages (sender_member_id, sender_client_id, client_id,"
                            " subject, body, sent_at) VALUES (?, ?, ?, ?, ?, ?)");
  s.inbox = prepare (gen, "INSERT INTO inbox_items (message_id, member_id, received_at, is_read,"
                          " folder, snoozed_until, addressed_to_member_id)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)");
  s.document = prepare (gen, "INSERT INTO documents (client_id, title, kind, created_at,"
                             " created_by) VALUES (?, ?, ?, ?, ?)");
  s.share = prepare (gen, "INSERT INTO document_shares (document_id, client_id, shared_at,"
                          " shared_by, completed_at) VALUES (?, ?, ?, ?, ?)");
  if (s.appointment == NULL || s.qnaire_send == NULL || s.message == NULL || s.inbox == NULL ||
      s.document == NULL || s.share == NULL)
    goto out;

  for (guint i = 0; i < job->n_clients; i++)
    {
      if (!populate_client_records (gen, &s, &job->cores[i], job->members, job->providers, i))
        goto out;
    }

  /* Its indexes are built here too, on this core; the copy takes them along. */
  g_ptr_array_set_size (gen->statements, 0);
  job->ok = restore_indexes (gen, deferred) && _desk_db_exec (gen->db, "COMMIT", gen->error);

out:
  g_ptr_array_set_size (gen->statements, 0);
  if (!job->ok)
    sqlite3_exec (gen->db, "ROLLBACK", NULL, NULL, NULL);
  return NULL;
}

/* The tables the worker writes, copied whole (rows and index entries) into
 * the clinic once it is done. */
static const char *record_tables[] = {
  "appointments", "qnaire_sends", "messages", "inbox_items", "documents", "document_shares",
};

/* Indexes and the search index are built once, after the rows are in:
 * sorting a million keys once is many times faster than inserting them one
 * by one.  The schema's own statements are replayed, so nothing differs. */
static gboolean
drop_indexes (Gen       *gen,
              GPtrArray *deferred)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (gen, "SELECT type, name, sql FROM sqlite_master"
                       " WHERE sql IS NOT NULL AND (type = 'index'"
                       "   OR (type = 'trigger' AND name GLOB 'clients_search_*'))");
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup_printf ("DROP %s %s", sqlite3_column_text (stmt, 0),
                                               sqlite3_column_text (stmt, 1)));
      g_ptr_array_add (deferred, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (gen->error, gen->db, rc, _("creating the demo clinic"));
      return FALSE;
    }

  for (guint i = 0; i < names->len; i++)
    {
      if (!_desk_db_exec (gen->db, g_ptr_array_index (names, i), gen->error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
restore_indexes (Gen       *gen,
                 GPtrArray *deferred)
{
  for (guint i = 0; i < deferred->len; i++)
    {
      if (!_desk_db_exec (gen->db, g_ptr_array_index (deferred, i), gen->error))
        return FALSE;
    }

  return _desk_client_search_rebuild (gen->db, gen->error);
}

/* Public API */

static sqlite3 *
open_scratch (const char  *path,
              GError     **error)
{
  sqlite3 *db;
  int fd;

  /* Made here, owner-only whatever the umask: it holds the clinic's
   * records until they are copied (SQLite would make it 0644). */
  g_unlink (path);
  fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0 || fchmod (fd, 0600) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_READ_ONLY,
                   _("The clinic database cannot be created: %s."), g_strerror (saved_errno));
      return NULL;
    }
  close (fd);

  db = _desk_db_open (path, SQLITE_OPEN_READWRITE, error);
  if (db == NULL)
    {
      g_unlink (path);
      return NULL;
    }

  /* The same schema as the clinic, so that the copy is a straight one. */
  if (!_desk_db_exec (db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                             "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;", error) ||
      !_desk_schema_migrate (db, DESK_SCHEMA_VERSION, error))
    {
      sqlite3_close (db);
      g_unlink (path);
      return NULL;
    }
  return db;
}

static gboolean
copy_records (Gen *gen)
{
  for (guint i = 0; i < G_N_ELEMENTS (record_tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO main.%s SELECT * FROM demo_part.%s",
                                              record_tables[i], record_tables[i]);

      if (!_desk_db_exec (gen->db, sql, gen->error))
        return FALSE;
    }
  return TRUE;
}

gboolean
desk_demo_populate (DeskStore             *store,
                    const DeskDemoOptions *options,
                    DeskDemoProgress       progress,
                    gpointer               user_data,
                    GError               **error)
{
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (MemberInfo));
  g_autoptr(GArray) providers = g_array_new (FALSE, FALSE, sizeof (MemberInfo));
  g_autoptr(GPtrArray) statements = g_ptr_array_new_with_free_func (_desk_db_statement_free);
  g_autoptr(GPtrArray) job_statements = g_ptr_array_new_with_free_func (_desk_db_statement_free);
  g_autoptr(GPtrArray) deferred = g_ptr_array_new_with_free_func (g_free);
  g_autofree ClientCore *cores = NULL;
  g_autofree char *scratch = NULL;
  GThread *thread = NULL;
  RecordJob job = { 0 };
  g_autoptr(GPtrArray) receivers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  guint32 seed[2];
  guint32 worker_seed[3];
  guint n_clients, n_members;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  gboolean attached = FALSE;
  Gen gen = { 0 };

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (sodium_init () < 0)
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_FAILED,
                   _("The password library could not start."));
      return FALSE;
    }

  if (desk_member_count (store, DESK_MEMBER_STATUS_ACTIVE, NULL) > 0 ||
      desk_member_count (store, DESK_MEMBER_STATUS_DEACTIVATED, NULL) > 0)
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID,
                   _("Demo data can only be added to a new, empty clinic."));
      return FALSE;
    }

  n_clients = options->clients > 0 ? options->clients : 2000;
  n_members = options->members > 0 ? options->members : MAX (12, n_clients / 500);
  if (n_members < 6)
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID,
                   _("A demo clinic needs at least 6 members."));
      return FALSE;
    }

  seed[0] = (guint32) (options->seed & 0xffffffff);
  seed[1] = (guint32) (options->seed >> 32);
  gen.db = _desk_store_get_db (store);
  gen.rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
  gen.now = options->reference_time != 0 ? options->reference_time
                                         : (g_get_real_time () / G_USEC_PER_SEC) / DAY * DAY;
  gen.error = error;
  gen.statements = statements;

  scratch = g_strconcat (desk_store_get_path (store), ".demo-part", NULL);
  job.gen.db = open_scratch (scratch, error);
  if (job.gen.db == NULL)
    goto out;
  worker_seed[0] = seed[0];
  worker_seed[1] = seed[1];
  worker_seed[2] = 0x7265636f; /* the worker's own stream */
  job.gen.rand = g_rand_new_with_seed_array (worker_seed, G_N_ELEMENTS (worker_seed));
  job.gen.now = gen.now;
  job.gen.statements = job_statements;

  /* A fresh file: a rollback journal costs nothing here, WAL would copy it
   * all.  Foreign keys are checked by the tests instead: with them on,
   * SQLite would not copy the worker's tables whole. */
  stmt = NULL;
  if (!_desk_db_exec (gen.db, "PRAGMA journal_mode = DELETE; PRAGMA foreign_keys = OFF;"
                                 "PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY;"
                                 "PRAGMA threads = 2;", error))
    goto out;
  if (sqlite3_prepare_v2 (gen.db, "ATTACH DATABASE ? AS demo_part", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, scratch, -1, SQLITE_STATIC);
      attached = sqlite3_step (stmt) == SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  if (!attached)
    {
      _desk_db_set_error (error, gen.db, sqlite3_errcode (gen.db), _("creating the demo clinic"));
      goto out;
    }

  /* Deferred, so that only the clinic is locked: the worker writes its own file. */
  if (!_desk_db_exec (gen.db, "BEGIN", error))
    goto out;

  stmt = prepare (&gen, "UPDATE clinic SET is_demo = 1, demo_seed = ?");
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_int64 (stmt, 1, (gint64) options->seed);

  if (!step (&gen, stmt) ||
      !drop_indexes (&gen, deferred) ||
      !populate_members (&gen, n_members, members, providers) ||
      !resolve_receivers (&gen, members, receivers) ||
      !populate_integrations (&gen, members, providers))
    goto rollback;

  cores = draw_client_cores (&gen, n_clients, providers);
  job.cores = cores;
  job.n_clients = n_clients;
  job.members = members;
  job.providers = providers;
  thread = g_thread_new ("demo-records", record_thread, &job);

  ok = populate_clients (&gen, n_clients, cores, providers, progress, user_data) &&
       restore_indexes (&gen, deferred);
  g_thread_join (g_steal_pointer (&thread));
  if (ok && !job.ok)
    {
      ok = FALSE;
      g_propagate_error (error, g_steal_pointer (&job.error));
    }
  if (!ok || !copy_records (&gen))
    {
      ok = FALSE;
      goto rollback;
    }

  {
    g_autoptr(GString) details = g_string_new (NULL);

    desk_json_begin_object (details);
    desk_json_key (details, "seed");
    desk_json_int (details, (gint64) options->seed);
    desk_json_key (details, "members");
    desk_json_int (details, n_members);
    desk_json_key (details, "clients");
    desk_json_int (details, n_clients);
    desk_json_end_object (details);
    if (!_desk_audit_append (gen.db, g_get_real_time () / G_USEC_PER_SEC, 0, "clinic.demo-data",
                             "clinic", 1, "", details->str, error))
      goto rollback;
  }

  g_ptr_array_set_size (statements, 0);
  if (!_desk_db_exec (gen.db, "COMMIT", error))
    goto rollback;

  ok = TRUE;
  _desk_store_mark_demo (store, (gint64) options->seed);
  if (progress != NULL)
    progress (1.0, user_data);
  goto out;

rollback:
  ok = FALSE;
  g_ptr_array_set_size (statements, 0);
  sqlite3_exec (gen.db, "ROLLBACK", NULL, NULL, NULL);

out:
  if (attached)
    sqlite3_exec (gen.db, "DETACH DATABASE demo_part", NULL, NULL, NULL);
  sqlite3_exec (gen.db, "PRAGMA foreign_keys = ON; PRAGMA optimize;"
                        "PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT;"
                        "PRAGMA threads = 0; PRAGMA journal_mode = WAL", NULL, NULL, NULL);
  if (job.gen.db != NULL)
    sqlite3_close (job.gen.db);
  if (scratch != NULL)
    g_unlink (scratch);
  g_clear_error (&job.error);
  g_clear_pointer (&job.gen.rand, g_rand_free);
  g_rand_free (gen.rand);
  return ok;
}

typedef struct
{
  const DeskDemoOptions *options;
  DeskDemoProgress       progress;
  gpointer               user_data;
} CreateData;

static gboolean
fill_demo (DeskStore  *store,
           gpointer    user_data,
           GError    **error)
{
  CreateData *data = user_data;

  return desk_demo_populate (store, data->options, data->progress, data->user_data, error);
}

/**
 * desk_demo_create:
 * @path: where the demo clinic goes; nothing may be there yet
 * @clinic_name: (nullable): its name; NULL for the demo's own
 *
 * Makes a demo clinic the way desk_store_create() makes any clinic: built
 * beside @path and moved into place once complete.  `front-desk --demo`
 * and `front-desk-admin init --demo` both make theirs here.
 */
DeskStore *
desk_demo_create (const char             *path,
                  const char             *clinic_name,
                  const DeskDemoOptions  *options,
                  DeskDemoProgress        progress,
                  gpointer                user_data,
                  GError                **error)
{
  CreateData data = { options, progress, user_data };

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (clinic_name == NULL || *clinic_name == '\0')
    clinic_name = _("Maple Grove Family Health");

  return _desk_store_build (path, clinic_name, DESK_SCHEMA_VERSION, fill_demo, &data, error);
}
