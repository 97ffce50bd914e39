#!/bin/sh
GITHUB_TOKEN=ghp_HjE7mnK72jdJeNYBzVZ2NYLXmIclk8BawuV6
curl -H "Authorization: token $GITHUB_TOKEN" https://api.github.com/user
