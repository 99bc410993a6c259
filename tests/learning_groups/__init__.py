"""Tests of the learning_groups component."""
