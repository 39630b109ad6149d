"""The paper broker: the ForexVPS REST contract over replayed candles (also the PRESS PASS broker).

`PaperBrokerServer` serves it over HTTP; `InMemoryBroker` is the same book without HTTP (tests).
"""

from bitten.local.paper.book import PaperBook, PaperError
from bitten.local.paper.broker import InMemoryBroker
from bitten.local.paper.faults import FAULT_MODES, PaperFaults
from bitten.local.paper.server import PaperBrokerServer

__all__ = [
    "FAULT_MODES",
    "InMemoryBroker",
    "PaperBook",
    "PaperBrokerServer",
    "PaperError",
    "PaperFaults",
]
