// Wire tests land with the wire issue.
