"""How the suite runs axe-core: the rules it applies and how it reports violations."""

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}


def axe_violations(page):
    """Run axe-core over the page as it is now and return its violations.

    axe-core (half a megabyte of script) is put into each document once, not once per run: a
    page checked in light and then dark mode runs it twice.
    """
    from axe_playwright_python.sync_playwright import Axe

    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(Axe().axe_script)
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]


def describe_violations(violations):
    """Return axe's violations as readable lines: rule id, impact, help, then each node."""
    lines = []
    for violation in violations:
        lines.append(f"  [{violation['id']}] ({violation['impact']}) {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"      at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.extend(f"        - {check['message']}" for check in node["any"] + node["all"])
    return "\n".join(lines)
