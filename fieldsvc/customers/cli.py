"""flask customers import FILE.csv (implementation lands in the next commit)."""
import click

customers_cli = click.Group("customers", help="Customer registry commands.")
