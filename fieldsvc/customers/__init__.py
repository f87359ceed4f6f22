"""Customers, their addresses and districts, gas meters and appliances."""
