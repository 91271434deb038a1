"""Tool paths kept on a class, set once at run time by a classmethod (meta-tegra#2231's FlashUtilities)."""

import os


class FlashUtilities:
    nvdd_path = None

    @classmethod
    def set_paths(cls, folder):
        cls.nvdd_path = os.path.join(folder, "nvdd")

    @classmethod
    def check_tools(cls):
        if cls.nvdd_path is None:
            raise RuntimeError("nvdd does not exist")
        return cls.nvdd_path
