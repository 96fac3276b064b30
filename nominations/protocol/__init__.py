"""A network's protocol: the settings by which it fills a seat, loaded from YAML and checked."""

from nominations.protocol.loader import check_protocol, is_protocol_file, load_named, load_protocol
from nominations.protocol.model import Protocol, ProtocolError

__all__ = ["Protocol", "ProtocolError", "check_protocol", "is_protocol_file", "load_named", "load_protocol"]
