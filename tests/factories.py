"""factory_boy factories for the shared kernel; component apps add theirs beside their tests."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from asmhub.profiles.models import CURATORS_GROUP, Organisation, Profile, User
from asmhub.taxonomy.models import Country

PASSWORD = "correct-horse-battery-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Partners have a verified email (pass verified=False for one who has not confirmed)."""
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )
            self.save()


class CuratorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def curators_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=CURATORS_GROUP))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Miners' Association {n}")
    slug = factory.Sequence(lambda n: f"miners-association-{n}")
    country = factory.LazyFunction(lambda: Country.objects.get(code="TZ"))


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Member {n}")
    organisation = factory.SubFactory(OrganisationFactory)
