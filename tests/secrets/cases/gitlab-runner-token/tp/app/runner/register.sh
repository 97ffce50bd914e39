gitlab-runner register --non-interactive --url https://gitlab.acme.test/ --registration-token GR1348941DWeZdcfzCGk2RKFXpGrH --executor shell
