"""Constants shared by the integration's modules: domain, entry keys, defaults."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

DOMAIN: Final = "wescontrol"
MANUFACTURER: Final = "CartElectronic"
MODEL: Final = "WES"

# Entry data (connection): CONF_HOST, CONF_PORT, CONF_USERNAME, CONF_PASSWORD from
# homeassistant.const, plus the optional FTP access and what to do with it.
CONF_FTP_USERNAME: Final = "ftp_username"
CONF_FTP_PASSWORD: Final = "ftp_password"  # noqa: S105 (a key, not a secret)
CONF_FTP_PORT: Final = "ftp_port"  # optional, 21 when absent
CONF_MANAGE_DATA_FILE: Final = "manage_data_file"  # keep our own CGX file on the WES
CONF_AUTO_UPDATE: Final = "auto_update"  # upload a new version of it without asking

# Entry options (what the user enabled):
#   OPT_FEATURES: {feature kind value: {str(instance number): {option key: value}}}
OPT_FEATURES: Final = "features"
OPT_SCREEN: Final = "screen"
OPT_MAINS_VOLTAGE: Final = "mains_voltage"
OPT_SCAN_INTERVAL: Final = "scan_interval"  # seconds

DEFAULT_PORT: Final = 80
DEFAULT_USERNAME: Final = "admin"
DEFAULT_PASSWORD: Final = "wes"  # noqa: S105 (the WES factory default)
DEFAULT_FTP_USERNAME: Final = "adminftp"
DEFAULT_FTP_PASSWORD: Final = "wesftp"  # noqa: S105 (the WES factory default)
DEFAULT_FTP_PORT: Final = 21
DEFAULT_SCAN_INTERVAL: Final = timedelta(seconds=30)
MIN_SCAN_INTERVAL: Final = timedelta(seconds=10)
BUILTIN_DATA_FILE: Final = "DATA.CGX"
