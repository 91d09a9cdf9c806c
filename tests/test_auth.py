"""Member accounts: the `kennisbank users` commands, login and logout, CSRF, failed-login limits, sessions."""
from __future__ import annotations

import json
import stat

import pytest

from indexer.accounts import UserStore, verify_password
from indexer.cli import main
from indexer.index.build import build_index
from indexer.sessions import SessionStore
from indexer.settings import from_env
from search_app import create_app
from search_app.loginlimit import LoginLimiter
from tests.members import MEMBER, MEMBERS_CATALOGUE, MEMBERS_DOC, PASSWORD, csrf_from, login


@pytest.fixture(scope="module")
def members_index(tmp_path_factory):
    """A two-document corpus, one of them for members only, built."""
    root = tmp_path_factory.mktemp("auth")
    (root / "corpus" / "pdf").mkdir(parents=True)
    (root / "corpus" / "catalogue.yaml").write_text(MEMBERS_CATALOGUE, encoding="utf-8")
    build_index(root / "corpus", root / "index")
    return root / "corpus", root / "index"


def make_app(members_index, instance, **config):
    corpus, index = members_index
    return create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                       "INSTANCE_DIR": str(instance), "SECRET_KEY": "auth-test", **config})


@pytest.fixture
def auth_app(members_index, instance):
    return make_app(members_index, instance)


@pytest.fixture
def anonymous(auth_app):
    return auth_app.test_client()


def sees_members_doc(client) -> bool:
    return client.get(f"/documenten/{MEMBERS_DOC}").status_code == 200


def session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


# ---------------------------------------------------------------- the users commands

def users(runner, instance, *args, stdin=None):
    return runner.invoke(main, ["users", *args, "--instance", str(instance)], input=stdin)


def test_users_add_list_passwd_remove(runner, tmp_path):
    inst = tmp_path / "inst"
    r = users(runner, inst, "add", "Jan", stdin="een lang wachtwoord\n")
    assert r.exit_code == 0 and "Gebruiker 'jan' toegevoegd" in r.output
    assert "jan" in users(runner, inst, "list").output
    assert UserStore(inst).authenticate("jan", "een lang wachtwoord")

    r = users(runner, inst, "passwd", "jan", stdin="een ander wachtwoord\n")
    assert r.exit_code == 0
    assert not UserStore(inst).authenticate("jan", "een lang wachtwoord")
    assert UserStore(inst).authenticate("JAN", "een ander wachtwoord")

    assert users(runner, inst, "remove", "jan").exit_code == 0
    assert "Nog geen gebruikers" in users(runner, inst, "list").output


@pytest.mark.parametrize("args, stdin, message", [
    (["add", "lid"], "kort\n", "minstens 10 tekens"),
    (["add", "met spatie"], "een lang wachtwoord\n", "geen geldige gebruikersnaam"),
    (["add", "../etc"], "een lang wachtwoord\n", "geen geldige gebruikersnaam"),
    (["add", MEMBER], "een lang wachtwoord\n", "bestaat al"),
    (["passwd", "niemand"], "een lang wachtwoord\n", "bestaat niet"),
    (["remove", "niemand"], None, "bestaat niet"),
])
def test_users_commands_refuse_clearly(runner, instance, args, stdin, message):
    r = users(runner, instance, *args, stdin=stdin)
    assert r.exit_code == 1 and message in r.output


def test_passwords_are_never_command_arguments(runner):
    group = main.commands["users"]
    for name in ("add", "passwd"):
        params = [p.name for p in group.commands[name].params]
        assert params == ["name", "instance_dir"], params
    r = runner.invoke(main, ["users", "add", "jan", "een-wachtwoord-als-argument"])
    assert r.exit_code == 2  # click refuses the extra argument


def test_help_texts_of_users_commands_have_examples(runner):
    for args in (["users"], ["users", "add"], ["users", "passwd"], ["users", "remove"], ["users", "list"]):
        r = runner.invoke(main, [*args, "--help"])
        assert r.exit_code == 0 and "Voorbeeld:" in r.output, args


def test_accounts_file_holds_only_slow_salted_hashes_readable_by_the_owner(tmp_path):
    inst = tmp_path / "inst"
    UserStore(inst).add("a", PASSWORD)
    UserStore(inst).add("b", PASSWORD)
    raw = (inst / "users.json").read_text(encoding="utf-8")
    assert PASSWORD not in raw
    data = json.loads(raw)["users"]
    assert data["a"]["password"].startswith("scrypt$32768$8$1$")
    assert data["a"]["password"] != data["b"]["password"]  # salted
    assert verify_password(PASSWORD, data["a"]["password"]) and not verify_password("fout", data["a"]["password"])
    assert stat.S_IMODE((inst / "users.json").stat().st_mode) == 0o600


def test_instance_folder_is_git_ignored():
    from tests.conftest import REPO
    assert "instance/" in (REPO / ".gitignore").read_text(encoding="utf-8").split()


# ---------------------------------------------------------------- logging in and out

def test_login_page_is_dutch_and_not_cached(anonymous):
    r = anonymous.get("/inloggen")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Gebruikersnaam" in html and "Wachtwoord" in html
    assert r.headers["Cache-Control"] == "no-store"
    assert 'href="/inloggen' in anonymous.get("/").get_data(as_text=True)  # the nav offers it


def test_member_logs_in_sees_members_documents_and_logs_out(anonymous):
    assert not sees_members_doc(anonymous)
    r = login(anonymous, next="/documenten/ledenverslag")
    assert r.status_code == 303 and r.headers["Location"] == "/documenten/ledenverslag"
    assert sees_members_doc(anonymous)
    home = anonymous.get("/").get_data(as_text=True)
    assert "Uitloggen" in home and MEMBERS_DOC in home
    r = anonymous.post("/uitloggen", data={"csrf_token": csrf_from(anonymous, "/")})
    assert r.status_code == 303
    assert not sees_members_doc(anonymous)


@pytest.mark.parametrize("name, password", [(MEMBER, "fout wachtwoord"), ("niemand", PASSWORD), ("", ""),
                                            (MEMBER, PASSWORD + "x"), (MEMBER, "x" * 5000)])
def test_failed_login_gives_one_generic_message(anonymous, name, password):
    r = login(anonymous, name, password)
    html = r.get_data(as_text=True)
    assert r.status_code == 401
    assert "Gebruikersnaam of wachtwoord onjuist." in html
    assert "bestaat niet" not in html and not sees_members_doc(anonymous)


def test_names_are_case_insensitive(anonymous):
    assert login(anonymous, MEMBER.upper()).status_code == 303 and sees_members_doc(anonymous)


@pytest.mark.parametrize("token", [None, "", "vervalst"])
def test_login_without_the_forms_token_is_refused(anonymous, token):
    csrf_from(anonymous)  # the anonymous has a session with a token, but posts another one
    data = {"gebruikersnaam": MEMBER, "wachtwoord": PASSWORD}
    if token is not None:
        data["csrf_token"] = token
    r = anonymous.post("/inloggen", data=data)
    assert r.status_code == 400 and "Het formulier is verlopen" in r.get_data(as_text=True)
    assert not sees_members_doc(anonymous)


def test_token_of_another_session_is_refused(auth_app):
    attacker, victim = auth_app.test_client(), auth_app.test_client()
    token = csrf_from(attacker)
    csrf_from(victim)
    r = victim.post("/inloggen", data={"csrf_token": token, "gebruikersnaam": MEMBER, "wachtwoord": PASSWORD})
    assert r.status_code == 400 and not sees_members_doc(victim)


def test_logout_needs_the_token_and_a_post(anonymous):
    login(anonymous)
    assert anonymous.get("/uitloggen").status_code == 405
    assert anonymous.post("/uitloggen", data={}).status_code == 400
    assert sees_members_doc(anonymous)


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x",
                                    "evil.example", "/\r\nLocation: https://evil.example"])
def test_login_never_redirects_off_the_site(anonymous, target):
    r = login(anonymous, next=target)
    assert r.status_code == 303 and r.headers["Location"] == "/"


def test_login_starts_a_fresh_session(anonymous):
    before = csrf_from(anonymous)
    login(anonymous)
    assert csrf_from(anonymous, "/") != before


# ---------------------------------------------------------------- failed-login limits

def test_failed_logins_are_limited_per_account(anonymous):
    for _ in range(5):
        assert login(anonymous, MEMBER, "fout wachtwoord").status_code == 401
    r = login(anonymous)  # now even the right password waits
    assert r.status_code == 429 and "Te veel mislukte pogingen" in r.get_data(as_text=True)
    assert int(r.headers["Retry-After"]) > 0 and not sees_members_doc(anonymous)


def test_limit_counts_unknown_names_the_same_way(anonymous):
    """Otherwise the limit itself would tell which names exist."""
    for _ in range(5):
        login(anonymous, "niemand", "fout wachtwoord")
    assert login(anonymous, "niemand", "fout wachtwoord").status_code == 429


def test_failed_logins_are_limited_per_address(members_index, instance):
    app = make_app(members_index, instance, LOGIN_MAX_FAILURES_PER_ADDRESS=3)
    UserStore(instance).add("tweede", PASSWORD)
    c = app.test_client()
    for name in ("a1", "a2", "a3"):
        assert login(c, name, "fout wachtwoord").status_code == 401
    assert login(c, "tweede").status_code == 429
    other = app.test_client()  # another address gets in
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert login(other, "tweede").status_code == 303


def test_limiter_forgets_failures_after_the_window(tmp_path):
    now = [1000.0]
    store = SessionStore(tmp_path, clock=lambda: now[0])
    limiter = LoginLimiter(store, per_account=2, per_address=10, window=60, account_delay=5)
    assert limiter.attempt("jan", "1.2.3.4") == 0  # both recorded as failures (no success() follows)
    now[0] += 30
    assert limiter.attempt("jan", "1.2.3.4") == 0
    assert limiter.attempt("jan", "1.2.3.4") == pytest.approx(30)  # this address waits out the window
    assert limiter.attempt("jan", "5.6.7.8") == pytest.approx(5)  # another address only waits the delay
    assert limiter.attempt("piet", "5.6.7.8") == 0
    now[0] += 31
    assert limiter.attempt("jan", "1.2.3.4") == 0
    limiter.success("jan", "1.2.3.4")
    assert limiter.attempt("jan", "1.2.3.4") == 0


# ---------------------------------------------------------------- sessions and cookies

def test_session_cookie_is_httponly_samesite_and_secure_only_over_https(members_index, instance):
    r = login(make_app(members_index, instance).test_client())
    cookie = session_cookie(r)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert "Expires=" in cookie  # ends after a working day, not a month
    https = from_env({"KENNISBANK_HTTPS": "1"})
    app = make_app(members_index, instance, SESSION_COOKIE_SECURE=https["SESSION_COOKIE_SECURE"])
    r = login(app.test_client())
    assert "Secure" in session_cookie(r)
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")


def test_removed_account_and_changed_password_end_sessions(anonymous, instance):
    login(anonymous)
    UserStore(instance).set_password(MEMBER, "een nieuw wachtwoord")
    assert not sees_members_doc(anonymous)
    login(anonymous, password="een nieuw wachtwoord")
    assert sees_members_doc(anonymous)
    UserStore(instance).remove(MEMBER)
    assert not sees_members_doc(anonymous)


def test_forged_session_cookie_is_ignored(members_index, instance):
    forger = make_app(members_index, instance, SECRET_KEY="een andere sleutel")
    c = forger.test_client()
    login(c)
    real = make_app(members_index, instance).test_client()
    real.set_cookie("session", c.get_cookie("session").value)
    assert not sees_members_doc(real)


def test_members_responses_are_never_publicly_cacheable(anonymous):
    login(anonymous)
    r = anonymous.get(f"/documenten/{MEMBERS_DOC}")
    assert "private" in r.headers["Cache-Control"] and "public" not in r.headers["Cache-Control"]
    assert "Cookie" in r.headers["Vary"]


def test_secret_key_is_generated_once_into_the_instance_folder_when_needed(members_index, instance):
    app = make_app(members_index, instance, SECRET_KEY="")
    c = app.test_client()
    assert c.get("/?q=verslag").status_code == 200
    assert not (instance / "secret_key").exists()  # anonymous searching needs no key
    login(c)
    key_file = instance / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(key_file.read_text().strip()) == 64
    restarted = make_app(members_index, instance, SECRET_KEY="").test_client()
    restarted.set_cookie("session", c.get_cookie("session").value)
    assert sees_members_doc(restarted)  # the login holds across a restart
    assert (instance / "secret_key").read_text() == key_file.read_text()


def test_secret_key_from_the_environment_is_used_and_not_written(members_index, instance):
    settings = from_env({"KENNISBANK_SECRET_KEY": "sleutel-uit-de-omgeving"})
    app = make_app(members_index, instance, SECRET_KEY=settings["SECRET_KEY"])
    login(app.test_client())
    assert app.secret_key == "sleutel-uit-de-omgeving" and not (instance / "secret_key").exists()
