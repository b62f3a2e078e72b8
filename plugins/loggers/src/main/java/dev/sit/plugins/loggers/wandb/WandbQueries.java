package dev.sit.plugins.loggers.wandb;

/** The GraphQL documents the SDK sends, verbatim except for line breaks and indentation. */
final class WandbQueries {

    static final String UPSERT_BUCKET = """
            mutation UpsertBucket(
                $id: String, $name: String, $project: String, $entity: String,
                $groupName: String, $description: String, $displayName: String, $notes: String,
                $commit: String, $config: JSONString, $host: String, $debug: Boolean,
                $program: String, $repo: String, $jobType: String, $state: String,
                $sweep: String, $tags: [String!], $summaryMetrics: JSONString,
            ) {
                upsertBucket(input: {
                    id: $id, name: $name, groupName: $groupName, modelName: $project,
                    entityName: $entity, description: $description, displayName: $displayName,
                    notes: $notes, config: $config, commit: $commit, host: $host, debug: $debug,
                    jobProgram: $program, jobRepo: $repo, jobType: $jobType, state: $state,
                    sweep: $sweep, tags: $tags, summaryMetrics: $summaryMetrics,
                }) {
                    bucket {
                        id name displayName description config sweepName
                        project { id name entity { id name } }
                        historyLineCount
                    }
                    inserted
                }
            }
            """;

    static final String RUN_RESUME_STATUS = """
            query RunResumeStatus($project: String, $entity: String, $name: String!) {
              model(name: $project, entityName: $entity) {
                id name entity { id name }
                bucket(name: $name, missingOk: true) {
                  id name summaryMetrics displayName logLineCount historyLineCount eventsLineCount
                  historyTail eventsTail config tags notes
                  wandbConfig(keys: ["t"])
                }
              }
            }
            """;

    static final String CREATE_RUN_FILES = """
            mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
                createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run, files: $files}) {
                    runID
                    uploadHeaders
                    files { name uploadUrl }
                }
            }
            """;

    private WandbQueries() {
    }
}
