"""Personal data: access records (접속기록) and their monthly review, retention periods, scheduled
destruction, and the privacy notice. See docs/privacy.md."""
