"""How the suite runs axe-core: the rules it applies and how it reports violations."""

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}


def describe_violations(violations):
    """Return axe's violations as readable lines: rule id, impact, help, then each node."""
    lines = []
    for violation in violations:
        lines.append(f"  [{violation['id']}] ({violation['impact']}) {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"      at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.extend(f"        - {check['message']}" for check in node["any"] + node["all"])
    return "\n".join(lines)
