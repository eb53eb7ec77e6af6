"""What people do: orders, web events, newsletter events, tickets; and the ids of it all.

Ids are handed out only once every record exists: person-level records in shuffled order (so an
id says nothing about who else a record belongs to), activities in time order as the source
systems would number them.
"""

import random
from dataclasses import dataclass
from typing import Any

from loaders.sample._pools import BY_CODE, SPAN_SECONDS, Weighted
from loaders.sample._records import Cookie, Records, Requester, ShopCustomer, Subscriber, Ticket

_ORDERS_PER_CUSTOMER = Weighted({0: 28, 1: 30, 2: 20, 3: 11, 4: 6, 5: 3, 6: 2})
_ITEMS_PER_ORDER = Weighted({1: 50, 2: 30, 3: 15, 4: 5})
_QUANTITY = Weighted({1: 80, 2: 15, 3: 5})
_BROWSING_EVENTS = Weighted({0: 30, 1: 35, 2: 20, 3: 10, 4: 5})
_EMAIL_EVENTS = Weighted({1: 30, 2: 40, 3: 30})
_PAGES = ("/", "/search?q=shoes", "/search?q=jacket", "/offers", "/cart", "/account", "/help")
_CAMPAIGNS = 24


@dataclass(slots=True)
class Order:
    customer: ShopCustomer
    ordered_at: int
    cents: int
    currency: str
    items: list[dict[str, Any]]
    order_id: str = ""


@dataclass(slots=True)
class WebEvent:
    cookie: Cookie
    ts: int
    event_type: str
    page: str
    login: str | None
    """The canonical login; the writer varies its case."""
    event_id: str = ""


@dataclass(slots=True)
class EmailEvent:
    subscriber: Subscriber
    ts: int
    campaign_id: str
    event_type: str
    event_id: str = ""


def assign_record_ids(records: Records, rng: random.Random) -> None:
    """Shuffle each source's records into file order and number them."""
    for items, attr, template in (
        (records.crm, "contact_id", "C-{:07d}"),
        (records.shop, "customer_id", "S-{:07d}"),
        (records.subscribers, "subscriber_id", "NL-{:07d}"),
        (records.requesters, "requester_id", "R-{:07d}"),
        (records.accounts, "account_id", "A-{:06d}"),
    ):
        rng.shuffle(items)
        for number, item in enumerate(items, 1):
            setattr(item, attr, template.format(number))
    # Cookie ids are random already; file order is by id.
    records.cookies.sort(key=lambda cookie: cookie.cookie_id)


def _sku(rng: random.Random) -> str:
    return f"SKU-{rng.randrange(10_000, 100_000)}"


def orders(shop: list[ShopCustomer], rng: random.Random) -> list[Order]:
    made: list[Order] = []
    for customer in shop:
        currency = BY_CODE[customer.address.country].currency
        for _ in range(_ORDERS_PER_CUSTOMER.pick(rng)):
            items = []
            cents = 0
            for _ in range(_ITEMS_PER_ORDER.pick(rng)):
                qty, price = _QUANTITY.pick(rng), rng.randrange(299, 15_000)
                items.append({"sku": _sku(rng), "qty": qty, "price": price / 100})
                cents += qty * price
            made.append(Order(customer, rng.randrange(customer.created_at, SPAN_SECONDS), cents, currency, items))
    made.sort(key=lambda order: order.ordered_at)
    for number, order in enumerate(made, 1):
        order.order_id = f"O-{number:07d}"
    return made


def web_events(cookies: list[Cookie], rng: random.Random) -> list[WebEvent]:
    """Events numbered in time order but returned shuffled, as they arrive from the collector."""
    made: list[WebEvent] = []
    for cookie in cookies:
        for login in cookie.logins:
            made.append(WebEvent(cookie, rng.randrange(SPAN_SECONDS), "login", "/login", login))
        # Some signed-in cookies log in again later.
        if cookie.logins and rng.random() < 0.2:
            made.append(WebEvent(cookie, rng.randrange(SPAN_SECONDS), "login", "/login", rng.choice(cookie.logins)))
        others = _BROWSING_EVENTS.pick(rng) + (0 if cookie.logins else 1)
        for _ in range(others):
            if rng.random() < 0.2:
                event_type, page = "add_to_cart", f"/products/{_sku(rng)}"
            else:
                event_type, page = "page_view", rng.choice(_PAGES)
            made.append(WebEvent(cookie, rng.randrange(SPAN_SECONDS), event_type, page, None))
    made.sort(key=lambda event: event.ts)
    for number, event in enumerate(made, 1):
        event.event_id = f"E-{number:08d}"
    rng.shuffle(made)
    return made


def email_events(subscribers: list[Subscriber], rng: random.Random) -> list[EmailEvent]:
    made: list[EmailEvent] = []
    step = SPAN_SECONDS // _CAMPAIGNS
    for subscriber in subscribers:
        campaign = rng.randrange(_CAMPAIGNS)
        ts = campaign * step + rng.randrange(6 * 3600)
        steps = ["sent", "open", "unsubscribe" if rng.random() < 0.15 else "click"]
        for event_type in steps[: _EMAIL_EVENTS.pick(rng)]:
            made.append(EmailEvent(subscriber, ts, f"CMP-{campaign + 1:04d}", event_type))
            ts += rng.randrange(60, 3 * 86_400)
    made.sort(key=lambda event: event.ts)
    for number, event in enumerate(made, 1):
        event.event_id = f"M-{number:07d}"
    return made


def tickets(requesters: list[Requester]) -> list[tuple[Requester, Ticket]]:
    made = sorted(((r, t) for r in requesters for t in r.tickets), key=lambda rt: rt[1].opened_at)
    for number, (_, ticket) in enumerate(made, 1):
        ticket.ticket_id = f"T-{number:07d}"
    return made
