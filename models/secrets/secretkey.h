#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QString>

class ProjectStore;

/**
 * Names one secret in the system keychain: a platform's API key for one project. The project is
 * named by a UUID kept in the project's settings, so renaming or moving the file keeps its keys.
 */
struct SecretKey
{
    Q_DECLARE_TR_FUNCTIONS(SecretKey)

public:
    QString projectId; ///< the project's UUID, without braces
    QString platform;  ///< the platform id, e.g. "mailchimp"

    /// The keychain entry's name: "<projectId>/<platform>".
    QString account() const { return projectId + u'/' + platform; }

    /// A project id that is a UUID and a platform id of lowercase letters, digits, '-' or '_'.
    bool isValid() const;

    /// The key for `platform`'s API key in this project; creates the project's id if it has none.
    static Result<SecretKey> forProject(ProjectStore &store, const QString &platform);

    /// The project's stable id ("project.id" in its settings), created and saved on first use.
    /// A copy made with saveAs() keeps the id, and so shares the keys of the original.
    static Result<QString> projectIdOf(ProjectStore &store);

    friend bool operator==(const SecretKey &, const SecretKey &) = default;
};
