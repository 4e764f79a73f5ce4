"""The SMS gateway behind one interface (`gateway.sms_queue`), with pluggable backends chosen by
settings.SMS_BACKEND: `console` (the log and the dev inbox) and `smpp` (SMPP 3.4 to an SMSC)."""
