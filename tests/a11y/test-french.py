#!/usr/bin/python3
# test-french.py: the uninstalled application, started in French with the catalogue built
# beside it (FRONT_DESK_LOCALEDIR, as tools/run gives it), shows its sign-in page in French,
# read through the accessibility bus; the command line speaks French too. Prints TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-french.py FRONT_DESK FRONT_DESK_ADMIN LOCALEDIR

import os
import subprocess
import sys

from desk_dogtail import button, check, find_app, nodes, run_main, stop, wait_for


def run(front_desk, admin, workdir):
    localedir = sys.argv[3]
    database = os.path.join(workdir, 'clinic.db')
    subprocess.run([admin, '--database', database, 'init', '--demo', '--clients', '20',
                    '--seed', '3'], check=True, stdout=subprocess.DEVNULL)
    # LANGUAGE is honoured in any locale but C and POSIX; C.UTF-8 is on every Debian.
    env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='fr', FRONT_DESK_LOCALEDIR=localedir)

    said = subprocess.run([admin, '--help'], env=env, capture_output=True, text=True).stdout
    check('front-desk-admin --help is in French', 'Utilisation' in said and
          'Créer une base de données' in said, said[:300])

    process = subprocess.Popen([front_desk, '--database', database], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        app = wait_for(find_app, 'the application on the accessibility bus')
        sign_in = wait_for(lambda: button(app, 'Se connecter'), 'the sign-in page in French')
        check('the sign-in button reads “Se connecter”', sign_in is not None)
        fields = [n.name for n in nodes(app, 'text') + nodes(app, 'password text')]
        check('the sign-in fields are named in French',
              'Nom d’utilisateur' in fields and 'Mot de passe' in fields, fields)
    finally:
        stop(process)


if __name__ == '__main__':
    sys.exit(run_main(run, 'front-desk-french-'))
