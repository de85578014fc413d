package dev.bhatti.proto;
class Placeholder {}
