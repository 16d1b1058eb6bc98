"""Open data (CONTRACT §7): the published data as files, streamed in constant memory."""
