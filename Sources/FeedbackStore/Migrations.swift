// Migrations.swift — the database schema, one named migration per change, applied in order, never edited.
//
// A database created by an older `digits` is brought up to date on open; a migration that has run is
// recorded by GRDB and never runs again. To change the schema, append a migration; do not edit one.

import GRDB

enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("1-samples") { db in
            try db.create(table: Sample.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("createdAt", .datetime).notNull()
                table.column("label", .integer).notNull().check { $0 >= 0 && $0 <= 9 }
                table.column("prediction", .integer).check { $0 == nil || ($0 >= 0 && $0 <= 9) }
                table.column("image", .blob).notNull().check { length($0) == 784 }
                table.column("drawing", .text).notNull()
            }
        }

        migrator.registerMigration("2-model-versions") { db in
            try db.create(table: ModelVersion.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("createdAt", .datetime).notNull()
                table.column("baseDigest", .text).notNull().indexed()
                table.column("fileName", .text).notNull()
                table.column("accepted", .boolean).notNull()
                table.column("mnistAccuracy", .double)
                table.column("samplesAccuracy", .double)
                table.column("note", .text).notNull()
            }
            try db.create(table: StudioSetting.databaseTableName) { table in
                table.primaryKey("key", .text)
                table.column("value", .text).notNull()
            }
        }

        migrator.registerMigration("3-version-checksums") { db in
            // SHA-256 (hex) of the version file's bytes, checked when it loads; null for versions saved before.
            try db.alter(table: ModelVersion.databaseTableName) { table in table.add(column: "sha256", .text) }
        }

        migrator.registerMigration("4-version-recipes-and-jobs") { db in
            // How each version was made: "finetune" (retrained from the current model on the user's samples)
            // or "new" (trained from scratch on the Train page); the recipe as JSON, the version it started
            // from, and its training steps.
            try db.alter(table: ModelVersion.databaseTableName) { table in
                table.add(column: "kind", .text).notNull().defaults(to: "finetune")
                table.add(column: "recipe", .text)
                table.add(column: "parent", .text)
                table.add(column: "steps", .integer)
            }
            // Every training job, written when it starts and when it ends; a row still "running" when the
            // studio starts belongs to a process that was killed.
            try db.create(table: TrainingJobRecord.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("kind", .text).notNull()
                table.column("state", .text).notNull()
                table.column("startedAt", .datetime).notNull()
                table.column("endedAt", .datetime)
                table.column("message", .text)
            }
        }

        return migrator
    }
}
