import settings


def pytest_sessionfinish(session):
    settings.shutdown()
