#pragma once

#include <QStringList>

/** The recently opened projects (in the user's settings), most recent first. */
namespace RecentProjects {
constexpr int kMaxEntries = 8;
/// Existing files only.
QStringList list();
void add(const QString &path);
void remove(const QString &path);
} // namespace RecentProjects
