"""The dialog engine: pure, Telegram-free. `Engine(knowledge, store).handle(Incoming)`."""
