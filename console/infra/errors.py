"""The one exception type the CLI turns into a one-line message and an exit code, and refused privileges in words."""

import re

# Exit codes shared by every command.
EXIT_FAILED = 1  # the command ran and found a failure (a failed check, a failed migration)
EXIT_CANNOT_RUN = 2  # bad input, unreachable server, missing extension: nothing was done


class ConsoleError(Exception):
    """An expected failure: `message` is one line for a person, `exit_code` is what the CLI returns."""

    def __init__(self, message: str, exit_code: int = EXIT_CANNOT_RUN) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class ConnectionLost(ConsoleError):
    """The server went away under a command: the error boundary adds the command and what was done before it."""


_DENIED = re.compile(r"permission denied for (materialized view|foreign table|\w+) (\S+)")
_SETTING = re.compile(r'have privileges of (\w+) to examine "([^"]+)"')
_OWNER = re.compile(r"must be owner of (\w+) (\S+)")
_FIRST_WORD = re.compile(r"\A(?:\s+|--[^\n]*\n?|/\*.*?\*/)*([A-Za-z]+)", re.DOTALL)
_WRITES = re.compile(r"\b(insert|update|delete)\b", re.IGNORECASE)
_VERB_PRIVILEGE = {"create": "CREATE", "insert": "INSERT", "update": "UPDATE", "delete": "DELETE",
                   "select": "SELECT", "truncate": "TRUNCATE", "copy": "INSERT", "call": "EXECUTE"}


def privilege_problem(server_message: str, statement: str, role: str) -> str:
    """A refused privilege in words: which privilege on which object `role` lacks for `statement`."""
    message = server_message.strip().splitlines()[0] if server_message.strip() else "permission denied"
    who, role = (f"role {role!r}", role) if role else ("the connected role", "<role>")
    owner = _OWNER.search(message)
    if owner:
        return (f"{who} does not own {owner.group(1)} {owner.group(2)}, and the statement needs its owner "
                f"(server: {message}): run it as the owner or a member of the owning role")
    setting = _SETTING.search(message)
    if setting:
        grant, name = setting.groups()
        return (f"{who} may not read the setting {name} (server: {message}): grant it, e.g. "
                f"GRANT {grant} TO {role} (pg_monitor includes it), or run as a role that has it")
    denied = _DENIED.search(message)
    if not denied:
        return f"{who} lacks a privilege (server: {message})"
    kind, name = denied.groups()
    privilege = _privilege(kind, _verb(statement))
    return (f"{who} lacks the {privilege} privilege on {kind} {name} (server: {message}): grant it, "
            f"e.g. {_grant(privilege, kind, name, statement, role)}, or run as a role that has it")


def _grant(privilege: str, kind: str, name: str, statement: str, role: str) -> str:
    """The GRANT statement, valid as written: a view is granted ON TABLE, and the name is schema-qualified the
    way the statement named it."""
    keyword = "TABLE" if kind in ("table", "view", "materialized view", "foreign table", "relation") else kind.upper()
    qualified = re.search(rf"\b([A-Za-z_][A-Za-z0-9_]*)\.{re.escape(name)}\b", statement) if "." not in name else None
    return f"GRANT {privilege} ON {keyword} {qualified.group(0) if qualified else name} TO {role}"


def _verb(statement: str) -> str:
    match = _FIRST_WORD.match(statement)
    verb = match.group(1).lower() if match else ""
    if verb == "with":
        write = _WRITES.search(statement)
        verb = write.group(1).lower() if write else "select"
    return verb


def _privilege(kind: str, verb: str) -> str:
    if kind == "schema":
        return "CREATE" if verb == "create" else "USAGE"
    if kind in ("function", "procedure", "routine"):
        return "EXECUTE"
    if kind == "sequence":
        return "USAGE"
    return _VERB_PRIVILEGE.get(verb, "required")


def cannot_read(server_message: str, role: str, statement: str = "") -> str:
    """A refused read in a pane's words: "cannot read <object> (GRANT …)"."""
    message = server_message.strip().splitlines()[0] if server_message.strip() else "permission denied"
    setting = _SETTING.search(message)
    if setting:
        return f"cannot read the setting {setting.group(2)} (GRANT {setting.group(1)} TO {role})"
    denied = _DENIED.search(message)
    if denied:
        kind, name = denied.groups()
        return f"cannot read {kind} {name} ({_grant(_privilege(kind, 'select'), kind, name, statement, role)})"
    return f"cannot read it: {privilege_problem(message, '', role)}"


_DRIVER_STEP = re.compile(r"^(consuming input|sending query(?: and params)?|flushing output) failed: ")


def server_words(exc: BaseException) -> str:
    """The first line of the server's (or, for a loss, the network's) words for `exc`, without the driver's step
    that met it ("consuming input failed: server closed the connection unexpectedly" -> "server closed ...")."""
    diag = getattr(exc, "diag", None)
    text = ((diag.message_primary if diag is not None else None) or str(exc)).strip()
    return _DRIVER_STEP.sub("", text.splitlines()[0]) if text else ""
