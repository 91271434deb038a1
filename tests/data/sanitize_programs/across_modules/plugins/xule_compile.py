"""A plugin module loaded by its file path (Arelle's plugin manager): a child cannot import it by name."""


def compile_rule(rule_text):
    kind, name = rule_text.split()[:2]
    return {"kind": kind, "name": name}
