function (newDoc, oldDoc, userCtx, secObj) {
  // Taskdesk's rules for its database (P1, O2), run by CouchDB on every write, replicated ones
  // included. Every document is one change record, written once and never edited. Written in
  // ES5 for CouchDB's JavaScript engine. The permission table mirrors the domain's
  // (crates/domain/src/permission.rs); crates/sync/tests/server_rules.rs checks that they agree.
  // Each person with permissions of their own (an admin's choice in "Users and permissions"), by
  // Taskdesk user id; everyone else has their role's. The app's admin rewrites this one line.
  var PERMISSIONS = {};
  var ROLES = {
    agent: ['create', 'edit', 'clone'],
    supervisor: ['create', 'edit', 'delete', 'clone', 'view_reports', 'supervise'],
    admin: ['create', 'edit', 'delete', 'clone', 'manage_fields', 'manage_codes', 'manage_users', 'view_reports', 'supervise']
  };
  var DESCRIBE = {
    create: 'create records', edit: 'edit records', 'delete': 'delete records', clone: 'clone tasks',
    manage_fields: 'manage task fields', manage_codes: 'manage transaction codes',
    manage_users: 'manage users and workspace settings', view_reports: 'view reports', supervise: 'reassign or transfer tasks'
  };
  function refuse(why) {
    throw ({ forbidden: why });
  }
  function isArray(x) {
    return Object.prototype.toString.call(x) === '[object Array]';
  }
  function fieldOf(doc, name) {
    for (var i = 0; i < doc.fields.length; i++) {
      if (doc.fields[i] && doc.fields[i].field === name) return doc.fields[i];
    }
    return null;
  }
  // The permissions a change needs, as permission::needed_for says.
  function neededFor(doc) {
    var needed = [];
    if (doc.kind === 'task' || doc.kind === 'customer') {
      var created = fieldOf(doc, 'created_at');
      var deleted = fieldOf(doc, 'deleted');
      if (created && created.old === null) {
        needed.push('create');
        var parent = fieldOf(doc, 'parent');
        if (doc.kind === 'task' && parent && parent['new'] !== null) needed.push('clone', 'edit');
      } else if (deleted && deleted['new'] === true) {
        needed.push('delete');
      } else {
        needed.push('edit');
      }
    } else if (doc.kind === 'message') {
      needed.push('edit');
    } else if (doc.kind === 'config') {
      for (var i = 0; i < doc.fields.length; i++) {
        var f = doc.fields[i].field;
        if (f === 'fields') needed.push('manage_fields');
        else if (f === 'codes') needed.push('manage_codes');
        else if (f.indexOf('views.') !== 0 && f.indexOf('presence.') !== 0 && f.indexOf('zone.') !== 0) needed.push('manage_users');
      }
    } else {
      refuse('A change must be for a task, customer, message or the workspace settings.');
    }
    return needed;
  }

  var roles = userCtx.roles || [];
  if (roles.indexOf('_admin') !== -1) return;
  // Not signed in (an expired session): the client must sign in again, not drop the change.
  if (!userCtx.name) throw ({ unauthorized: 'Sign in to write to this database.' });
  if (newDoc._id === '_design/taskdesk' && roles.indexOf('taskdesk:admin') !== -1) return;
  if (newDoc._id.indexOf('_design/') === 0) refuse('Only an admin may change the rules of this database.');
  var person = false;
  for (var m = 0; m < roles.length; m++) {
    if (roles[m].indexOf('taskdesk:') === 0 && ROLES.hasOwnProperty(roles[m].substring(9))) person = true;
  }
  if (newDoc._id === 'lease:routing') {
    // Which device routes: any Taskdesk person's device may take it over (compare-and-set on its revision).
    if (!person) refuse((userCtx.name || 'Nobody') + ' is not a Taskdesk user of this database.');
    if (newDoc._deleted || newDoc.type !== 'lease' || typeof newDoc.holder !== 'string') refuse('The routing lease names the device that routes.');
    return;
  }
  if (newDoc.type === 'interaction') {
    if (oldDoc) refuse('An interaction is never edited after it is written.');
    if (roles.indexOf('taskdesk:integration') === -1 && roles.indexOf('taskdesk:admin') === -1) refuse('Only an integration (or an admin) may write interactions.');
    if (newDoc._id.indexOf('interaction:') !== 0) refuse('An interaction document is named interaction: and its own id.');
    return;
  }
  if (oldDoc) {
    // Pushing a change again is the same write (same id, same revision): allowed, and a no-op.
    if (newDoc._deleted || oldDoc._rev !== newDoc._rev) refuse('A change is never edited or deleted after it is written.');
    return;
  }
  if (newDoc._deleted) refuse('Changes are never deleted.');
  if (newDoc.type !== 'change') refuse('Only Taskdesk change records may be written to this database.');
  if (newDoc._id !== 'change:' + newDoc.stamp) refuse('A change document is named change: and its stamp.');
  if (!isArray(newDoc.fields)) refuse('A change lists the fields it sets.');

  var me = null;
  var role = null;
  for (var r = 0; r < roles.length; r++) {
    if (roles[r].indexOf('taskdesk:user:') === 0) me = roles[r].substring(14);
    else if (roles[r].indexOf('taskdesk:') === 0 && ROLES.hasOwnProperty(roles[r].substring(9))) role = roles[r].substring(9);
  }
  if (!me || !role) refuse((userCtx.name || 'Nobody') + ' is not a Taskdesk user of this database.');
  if (newDoc.actor !== null && newDoc.actor !== undefined && newDoc.actor !== me) {
    refuse('This change names another person as its author; you can only push your own changes.');
  }
  if (newDoc.kind === 'config') {
    for (var v = 0; v < newDoc.fields.length; v++) {
      var key = newDoc.fields[v].field;
      if (key.indexOf('views.') === 0 && key.indexOf('views.' + me + '/') !== 0) refuse('You can only change your own saved views.');
      if (key.indexOf('presence.') === 0 && key !== 'presence.' + me) refuse('You can only change your own presence.');
      if (key.indexOf('zone.') === 0 && key !== 'zone.' + me) refuse('You can only change your own time zone.');
    }
  }
  var own = PERMISSIONS.hasOwnProperty(me);
  var allowed = own ? PERMISSIONS[me] : ROLES[role];
  var needed = neededFor(newDoc);
  for (var n = 0; n < needed.length; n++) {
    if (allowed.indexOf(needed[n]) === -1) {
      if (own) refuse('Your permissions do not allow you to ' + DESCRIBE[needed[n]] + '.');
      refuse((role === 'supervisor' ? 'A ' : 'An ') + role + ' is not allowed to ' + DESCRIBE[needed[n]] + '.');
    }
  }
}
