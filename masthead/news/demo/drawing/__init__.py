"""The demo's illustrations, one scene per picture, each drawn to match its caption.

A scene is a function of a seed that returns a 1600x900 picture; the seed only varies details
(which windows are lit, how boxes are stacked), never what the picture shows.
"""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image

from masthead.news.demo.drawing import chips, city, land, money, sea

Scene = Callable[[int], Image.Image]

SCENES: dict[str, Scene] = {
    "strait-at-dawn": sea.strait_at_dawn,
    "eastern-banks-map": sea.eastern_banks_map,
    "fishing-ground": sea.fishing_ground,
    "feeder-ship": sea.feeder_ship,
    "port-cranes": city.port_cranes,
    "container-yard": city.container_yard,
    "assembly-building": city.assembly_building,
    "bank-headquarters": city.bank_headquarters,
    "storefront": city.storefront,
    "lakeside-skyline": city.lakeside_skyline,
    "trading-floor": money.trading_floor,
    "bureau-de-change": money.bureau_de_change,
    "exchange-board": money.exchange_board,
    "crown-chart": money.crown_chart,
    "wafer-line": chips.wafer_line,
    "processor": chips.processor,
    "clean-room": chips.clean_room,
    "circuit-boards": chips.circuit_boards,
    "wheat-fields": land.wheat_fields,
    "wind-hills": land.wind_hills,
    "data-campus": land.data_campus,
    "battery-containers": land.battery_containers,
    "storage-tanks": land.storage_tanks,
}
