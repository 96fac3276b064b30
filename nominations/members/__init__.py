"""The electorate's roll as a CSV file: its columns, its cells, and how a file meets the roll.

Pure: nothing here touches the database or the terminal.
"""
