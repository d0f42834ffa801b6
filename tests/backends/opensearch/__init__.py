"""Tests of the OpenSearch backend that the contract suite does not cover: locations, a two-node cluster."""
