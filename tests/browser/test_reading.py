def test_reader_follows_links_from_home_to_bpo_vs_kpo(live_server, demo_site, page):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Business").first.click()
    page.get_by_role("link", name="BPO vs KPO").first.click()
    assert page.url == live_server.url + "/difference-between-bpo-and-kpo/"
    assert page.get_by_role("heading", level=1).inner_text() == "Difference between BPO and KPO"
    table = page.get_by_role("table")
    assert table.get_by_role("columnheader").all_inner_texts() == ["Aspect", "BPO", "KPO"]
    stands_for = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Stands for")
    )
    assert stands_for.get_by_role("cell").all_inner_texts() == [
        "Business Process Outsourcing",
        "Knowledge Process Outsourcing",
    ]


def test_phone_width_page_does_not_scroll_sideways(live_server, demo_site, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/difference-between-bpo-and-kpo/")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 360
