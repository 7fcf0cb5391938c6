-- Upload previews, kept in the database so that any instance can show,
-- poll and save one made on another.
-- +goose Up
CREATE TABLE `uploads` (`token` text NOT NULL,`kind` text NOT NULL,`session_id` integer NOT NULL,`user_id` integer NOT NULL,`year` integer NOT NULL,`department` text,`file_name` text NOT NULL,`lang` text,`content` blob,`state` text NOT NULL,`read` integer NOT NULL DEFAULT 0,`total` integer NOT NULL DEFAULT 0,`result` blob,`fatal` blob,`saving` numeric NOT NULL DEFAULT false,`beat` datetime NOT NULL,`expires` datetime NOT NULL,`created_at` datetime NOT NULL,PRIMARY KEY (`token`));
CREATE INDEX `idx_uploads_expires` ON `uploads`(`expires`);
CREATE INDEX `idx_upload_owner` ON `uploads`(`kind`,`session_id`);
