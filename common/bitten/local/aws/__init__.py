"""Local SQS + DynamoDB (moto, provisioned from template.yaml) and the Lambda event source."""
