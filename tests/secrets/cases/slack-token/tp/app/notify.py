from slack_sdk import WebClient

client = WebClient(token="xoxp-74828241231-674994881404-3645878499590-cf3cc47250976d3ead6e5e523d505f7f")
